//! `wijkmonitor regions search TEXT`: find gemeenten, wijken and buurten.

use std::process::ExitCode;

use anyhow::Context;
use wijkmonitor::model::region::{Level, Lookup};
use wijkmonitor::model::Registry;
use wijkmonitor::store::Store;

use super::Cli;

#[derive(clap::Subcommand)]
pub enum RegionsCommand {
    /// Zoeken op naam of code (hoofdletters en accenten maken niet uit), met suggesties bij tikfouten.
    Search {
        /// Naam of code (een deel is genoeg).
        text: String,
        /// Alleen binnen deze gemeente (naam of code).
        #[arg(long)]
        gemeente: Option<String>,
        /// Alleen dit niveau: gemeente, wijk of buurt.
        #[arg(long)]
        level: Option<String>,
        /// Hooguit zoveel resultaten.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
}

/// Loads the registry, or explains how to fill the store.
pub fn registry(cli: &Cli) -> anyhow::Result<Registry> {
    let store = Store::new(cli.data_dir());
    if store.is_empty() {
        return Err(wijkmonitor::Error::Store {
            message: format!("de opslag {} is leeg", store.dir().display()),
            hint: super::common::empty_store_hint(cli),
        }
        .into());
    }
    let data = store.load().context("de opslag kon niet gelezen worden")?;
    Ok(Registry::new(data.regions))
}

pub fn run(cli: &Cli, cmd: &RegionsCommand) -> anyhow::Result<ExitCode> {
    let RegionsCommand::Search { text, gemeente, level, limit } = cmd;
    let level = match level {
        Some(l) => Some(Level::parse(l).ok_or_else(|| wijkmonitor::Error::Region {
            message: format!("onbekend niveau '{l}'"),
            hint: "gebruik gemeente, wijk of buurt".into(),
        })?),
        None => None,
    };
    let reg = registry(cli)?;
    let mut hits: Vec<_> = reg.search(text, level, *limit * 4);
    if let Some(g) = gemeente {
        let gm = match reg.lookup(g, None, Some(Level::Gemeente)) {
            Lookup::Found(r) => r.code,
            _ => {
                return Err(wijkmonitor::Error::Region {
                    message: format!("onbekende gemeente '{}'", wijkmonitor::model::region::shown(g)),
                    hint: "gebruik de naam of code (GM0344) van een gemeente".into(),
                }
                .into())
            }
        };
        hits.retain(|r| r.gemeente().as_deref() == Some(gm.as_str()));
    }
    hits.truncate(*limit);
    if hits.is_empty() {
        if let Lookup::NotFound { suggestions } = reg.lookup(text, gemeente.as_deref(), level) {
            if !suggestions.is_empty() {
                eprintln!("geen gebied gevonden voor '{}'. Bedoelde u:", wijkmonitor::model::region::shown(text));
                for r in suggestions {
                    outln!("{:<12} {:<56} indeling {}", r.code, r.display(), r.year);
                }
                return Ok(ExitCode::FAILURE);
            }
        }
        eprintln!("geen gebied gevonden voor '{}'", wijkmonitor::model::region::shown(text));
        return Ok(ExitCode::FAILURE);
    }
    let same_name = hits
        .iter()
        .filter(|r| {
            wijkmonitor::model::region::normalize_name(&r.name) == wijkmonitor::model::region::normalize_name(text)
        })
        .count();
    for r in &hits {
        outln!("{:<12} {:<56} indeling {}", r.code, r.display(), r.year);
    }
    if same_name > 1 && gemeente.is_none() {
        eprintln!("'{text}' komt {same_name} keer voor; kies met --gemeente of gebruik de code.");
    }
    Ok(ExitCode::SUCCESS)
}
