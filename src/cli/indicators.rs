//! `wijkmonitor indicators`: the catalogue as a table or JSON.

use std::process::ExitCode;

use wijkmonitor::model::catalogue::{theme_title, Catalogue, Polarity};

/// Arguments.
#[derive(clap::Args)]
pub struct Args {
    /// Alleen dit thema (demografie, onderwijs, arbeid_inkomen, wonen, veiligheid, zorg_welzijn).
    #[arg(long)]
    theme: Option<String>,
    /// Ook de definities en de redenen tonen.
    #[arg(long, short)]
    long: bool,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let cat = Catalogue::builtin();
    let mut current = String::new();
    for i in cat.indicators.iter().filter(|i| args.theme.as_ref().is_none_or(|t| *t == i.theme)) {
        if i.theme != current {
            outln!("\n{}", theme_title(&i.theme));
            current = i.theme.clone();
        }
        let pol = match i.polarity {
            Polarity::Higher => "hoger = gunstiger",
            Polarity::Lower => "lager = gunstiger",
            Polarity::Neutral => "beschrijvend",
        };
        outln!("  {:<28} {:<42} {:<14} {}", i.id, i.label, i.unit, pol);
        if args.long {
            outln!("      {}\n      Waarom: {}", i.definition, i.rationale);
        }
    }
    outln!(
        "\n{} indicatoren",
        cat.indicators.iter().filter(|i| args.theme.as_ref().is_none_or(|t| *t == i.theme)).count()
    );
    Ok(ExitCode::SUCCESS)
}
