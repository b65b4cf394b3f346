//! Applies a source description to a table: finds the columns, reads each row's region
//! (by code, or by name in table order), period and herkomst group, and turns every
//! measure into figures, with the latest sub-period of a year winning a cell.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::cell::{parse_cell, parse_period, year_from_file_name, Cell};
use super::colref::ColumnRef;
use super::names::{clean_name, Resolved, Resolver};
use super::spec::{Extract, GroupTarget, MeasureSpec, SourceSpec, Unknown};
use super::table::{Flavour, Row, Table};
use crate::error::Error;
use crate::model::region::{code_level, normalize_code, Level, Region, Registry};
use crate::model::{Atom, Catalogue, Group, Interner, Observation, Source, TOTAAL};

/// How far CBS's rounding of small counts (to 5) can put a count past its denominator.
const CBS_ROUNDING: f64 = 5.0;

/// One figure's place: region, year, group, indicator.
type CellKey = (Atom, i32, Group, Atom);

/// Applies a source description to a table.
pub fn extract(spec: &SourceSpec, table: &Table, registry: &Registry, catalogue: &Catalogue) -> crate::Result<Extract> {
    let col = |r: &Option<ColumnRef>| r.as_ref().and_then(|c| c.resolve(table));
    let code_col = col(&spec.region.code);
    let name_col = col(&spec.region.name);
    let gm_col = col(&spec.region.gemeente);
    let level_col = col(&spec.region.level);
    if code_col.is_none() && name_col.is_none() {
        return Err(Error::input(
            table.at(Some(1), None),
            format!("geen gebiedskolom gevonden voor bron {}", spec.id),
            "het bestand mist de kolom met gebiedscode of -naam; exporteer de tabel met de dimensie Regio's",
        ));
    }
    let period_col = col(&spec.period);
    let year_col = col(&spec.year_column);
    // A key column of formulas without stored results (a workbook saved by a tool that
    // does not calculate) would drop rows without a word: the file is refused.
    for gap in &table.formula_gaps {
        if [code_col, name_col, gm_col, level_col, period_col, year_col].contains(&Some(gap.column)) {
            return Err(Error::input(
                table.at(Some(gap.first_line), Some(gap.column + 1)),
                format!(
                    "de sleutelkolom '{}' bestaat uit formules zonder opgeslagen uitkomst ({} cellen)",
                    table.headers.get(gap.column).map(String::as_str).unwrap_or("?"),
                    gap.cells
                ),
                "open de werkmap in Excel en sla haar op (dan worden de uitkomsten bewaard), of exporteer het blad als CSV",
            ));
        }
    }
    let file_year = year_from_file_name(&table.path);
    let filters: Vec<(usize, &Vec<String>)> =
        spec.filter.iter().filter_map(|(c, v)| ColumnRef::parse(c).resolve(table).map(|i| (i, v))).collect();
    let group_cols: Option<Vec<usize>> = match &spec.groups {
        Some(g) => Some(
            g.columns
                .iter()
                .map(|c| {
                    c.resolve(table).ok_or_else(|| {
                        Error::input(
                            table.at(Some(1), None),
                            format!("de herkomstkolom '{c}' van bron {} ontbreekt", spec.id),
                            "exporteer de tabel met de dimensie herkomst",
                        )
                    })
                })
                .collect::<crate::Result<_>>()?,
        ),
        None => None,
    };
    struct M<'s> {
        spec: &'s MeasureSpec,
        value: Option<Vec<usize>>,
        count: Option<Vec<usize>>,
        den: Option<Vec<usize>>,
        filter: Vec<(usize, &'s Vec<String>)>,
    }
    let measures: Vec<M> = spec
        .measure
        .iter()
        .filter_map(|m| {
            // `A+B+C` sums columns (e.g. the three education levels as denominator).
            let sum = |r: &Option<ColumnRef>| -> Option<Vec<usize>> { r.as_ref()?.resolve_sum(table) };
            let value = sum(&m.value);
            let count = sum(&m.count);
            let den = sum(&m.denominator);
            if value.is_none() && (count.is_none() || (m.per.is_some() && den.is_none())) {
                return None;
            }
            let filter: Option<Vec<_>> =
                m.filter.iter().map(|(c, v)| ColumnRef::parse(c).resolve(table).map(|i| (i, v))).collect();
            Some(M { spec: m, value, count, den, filter: filter? })
        })
        .collect();

    let mut out = Extract { warnings: table.warnings.clone(), ..Extract::default() };
    let mut resolver = Resolver::new(registry, spec.region.only);
    let mut seen_regions: HashSet<String> = HashSet::new();
    // Where each region's outline came from: (line, index in `out.geometry`).
    let mut outlines_at: HashMap<String, (usize, usize)> = HashMap::new();
    // Regions named twice in a table without codes (said once each).
    let mut clashes: HashSet<String> = HashSet::new();
    // cell → (sub-period, index) so the latest period of a year wins.
    // The line is kept to name both rows of a conflicting duplicate.
    let mut cells: HashMap<CellKey, (i32, usize, usize)> = HashMap::new();
    // Ids shared by the figures of this table (a store holds a million).
    let (mut codes, mut indicators) = (Interner::default(), Interner::default());
    // One of several tables with the same columns: the one the file name names.
    let (source, released) = match spec.table_in_file_name(&table.path) {
        Some((id, released)) => (Source::new(id, spec.title.replace("{id}", id), spec.cbs), Atom::from(released)),
        None => {
            let (id, title) = spec.credit(spec.year.unwrap_or_default());
            (Source::new(id, title, spec.cbs), Atom::from(spec.released.as_str()))
        }
    };
    // A KWB copy credits each year's figures to that year's StatLine table, and so does
    // a description with yearly editions.
    // An edition that holds only part of a year (the first half year of 2024) is a
    // series of its own: half a year's clients are not a year's.
    let mut editions: HashMap<(i32, i32), Arc<Source>> = HashMap::new();
    // A table whose publisher changed the method in some year (`breaks`), or whose
    // figures continue another series (`series`), names its series per year.
    let mut source_of = |year: i32, sub: i32| -> Arc<Source> {
        if !spec.kwb_edition && spec.editions.is_empty() && spec.series.is_none() && spec.breaks.is_empty() {
            return source.clone();
        }
        editions
            .entry((year, sub))
            .or_insert_with(|| {
                let series = spec.series_of(year, &source.id).unwrap_or_default();
                if spec.kwb_edition {
                    let (id, title) = crate::model::kwb_edition(year);
                    Source::new(id, title, true)
                } else if spec.editions.is_empty() {
                    Source::edition(source.id.clone(), source.title.clone(), source.cbs, series)
                } else {
                    let (id, title) = spec.credit(year);
                    match super::cell::part_of_year(sub) {
                        Some(part) => Source::edition(
                            id,
                            title.replace(&year.to_string(), &format!("{part} {year}")),
                            spec.cbs,
                            format!("{series} ({part})"),
                        ),
                        None => Source::edition(id, title, spec.cbs, series),
                    }
                }
            })
            .clone()
    };
    // Another publisher's outlines are credited on the map.
    let outline_source = if spec.cbs { String::new() } else { spec.title.clone() };
    let edition_year = spec.edition_in_file_name(&table.path).map(|(y, _)| y);
    let mut skipped_unknown: Vec<String> = Vec::new();
    let number = |row: &Row, i: usize| -> crate::Result<Cell> {
        parse_cell(&row.cells[i], table.flavour)
            .map(|c| if spec.dot_is_missing && c == Cell::Suppressed { Cell::Empty } else { c })
            .map_err(|_| {
            Error::input(
                table.at(Some(row.line), Some(i + 1)),
                format!("'{}' in kolom '{}' is geen getal", row.cells[i].trim(), table.headers[i]),
                if table.flavour == Flavour::Web {
                    "StatLine-exports gebruiken een decimale komma en '.' voor geheime waarden; controleer de exportinstellingen"
                } else {
                    "getallen hebben een decimale punt; '.' of een lege cel betekent: geen waarde"
                },
            )
        })
    };
    let mut kept_rows = 0usize;
    for row in &table.rows {
        if !filters.iter().all(|(i, allowed)| allowed.iter().any(|a| a.trim() == row.cells[*i].trim())) {
            continue;
        }
        kept_rows += 1;
        let (year, sub) = if let Some(p) = period_col {
            match parse_period(&row.cells[p]) {
                Some(ys) => ys,
                None => {
                    return Err(Error::input(
                        table.at(Some(row.line), Some(p + 1)),
                        format!("'{}' is geen periode", row.cells[p].trim()),
                        "de periodekolom hoort een jaar te bevatten, zoals 2023 of 2023JJ00",
                    ));
                }
            }
        } else if let Some(y) = year_col {
            match row.cells[y].trim().parse::<f64>() {
                Ok(v) => (v as i32, 100),
                Err(_) => {
                    return Err(Error::input(
                        table.at(Some(row.line), Some(y + 1)),
                        format!("'{}' is geen jaar", row.cells[y].trim()),
                        "de jaarkolom hoort een jaar te bevatten, zoals 2022",
                    ))
                }
            }
        } else if let Some(y) = edition_year.or(spec.year).or(file_year) {
            // The edition a file name names, before a description's fixed year (the
            // KWB: 86165NED.csv is 2025, a file without a table id 2024).
            (y, 100)
        } else {
            return Err(Error::input(
                table.at(None, None),
                "niet te zien voor welk jaar de cijfers zijn",
                if spec.editions.is_empty() {
                    "zet het jaar in de bestandsnaam (bijv. wijk_2022.dbf)".to_string()
                } else {
                    format!(
                        "noem het bestand naar de CBS-tabel ({}) of zet het jaar in de bestandsnaam",
                        spec.edition_list()
                            .iter()
                            .map(|(y, id)| format!("{id}.csv voor {y}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
            ));
        };
        let group = match (&spec.groups, &group_cols) {
            (Some(g), Some(cols)) => {
                let key = cols.iter().map(|&i| row.cells[i].trim()).collect::<Vec<_>>().join("|");
                match g.map.get(&key) {
                    Some(GroupTarget::Group(group)) => Some(*group),
                    _ => continue,
                }
            }
            _ => None,
        };
        // A row without any figure needs no region (StatLine lists empty periods too).
        let any_figure = measures
            .iter()
            .any(|m| [&m.value, &m.count].into_iter().flatten().flatten().any(|&i| !row.cells[i].trim().is_empty()));
        // A row of a sum is read even when empty: its empty cell makes the sum missing.
        if !any_figure && !spec.region.defines && !spec.geometry && !measures.iter().any(|m| m.spec.sum_rows) {
            continue;
        }
        let code_cell = code_col.map(|i| row.cells[i].trim()).filter(|c| !c.is_empty());
        let name_cell = name_col.map(|i| row.cells[i].as_str()).unwrap_or_default();
        let gm_name = gm_col.map(|i| row.cells[i].trim()).filter(|s| !s.is_empty());
        let code = match code_cell.and_then(normalize_code) {
            Some(c) => {
                resolver.enter(c.clone());
                c
            }
            None if spec.region.defines && code_cell.is_some() => continue, // e.g. GM0998 water rows
            None => match resolver.resolve(name_cell, gm_name, year) {
                Resolved::Code(c) => c,
                Resolved::Skip => continue,
                Resolved::Unknown(n) => {
                    if spec.region.unknown == Unknown::Warn {
                        // Named with the gemeente it was read in, so a user can find it.
                        let within = resolver
                            .current_gemeente()
                            .filter(|_| gm_name.is_none())
                            .and_then(|g| registry.get(g))
                            .map(|g| format!("{n} (in {})", g.name));
                        let n = within.or(gm_name.map(|g| format!("{n} (in {g})"))).unwrap_or(n);
                        if !skipped_unknown.contains(&n) {
                            skipped_unknown.push(n);
                        }
                        continue;
                    }
                    let at = table.at(Some(row.line), name_col.map(|i| i + 1));
                    let sugg = match registry.lookup(&n, None, None) {
                        crate::model::region::Lookup::NotFound { suggestions } if !suggestions.is_empty() => format!(
                            "bedoelde u {}? ",
                            suggestions.iter().take(3).map(|r| r.display()).collect::<Vec<_>>().join(", ")
                        ),
                        _ => String::new(),
                    };
                    return Err(Error::input(at, format!("onbekend gebied '{n}'"), format!("{sugg}lees eerst de gebiedsindeling van dat jaar in (de KWB-tabel van dat jaar), of verbeter de naam")));
                }
                Resolved::Ambiguous(list) => {
                    return Err(Error::input(
                        table.at(Some(row.line), name_col.map(|i| i + 1)),
                        format!("de gebiedsnaam '{}' is niet eenduidig: {}", name_cell.trim(), list.join("; ")),
                        "gebruik een bestand met gebiedscodes (de StatLine-export met 'Codering'), of voeg de kolom gemeente toe",
                    ));
                }
            },
        };
        if crate::model::region::is_placeholder(&code) {
            continue;
        }
        if spec.region.defines && !seen_regions.contains(&code) {
            let level =
                level_col.and_then(|i| Level::parse(row.cells[i].trim())).or_else(|| code_level(&code)).unwrap();
            let name = if name_cell.trim().is_empty() { code.clone() } else { clean_name(name_cell) };
            let gemeente_name = match level {
                Level::Gemeente | Level::Land => name.clone(),
                _ => gm_name.map(clean_name).unwrap_or_default(),
            };
            out.regions.push(Region { code: code.clone(), name, level, gemeente_name, year });
            if spec.geometry {
                if let Some(g) = super::table::geometry_of(&code, year, row, &outline_source) {
                    outlines_at.insert(code.clone(), (row.line, out.geometry.len()));
                    out.geometry.push(g);
                }
            }
            seen_regions.insert(code.clone());
        } else if spec.geometry && !seen_regions.contains(&code) {
            if let Some(g) = super::table::geometry_of(&code, year, row, &outline_source) {
                outlines_at.insert(code.clone(), (row.line, out.geometry.len()));
                out.geometry.push(g);
            }
            seen_regions.insert(code.clone());
        } else if let Some(&(first, i)) = outlines_at.get(&code).filter(|_| spec.geometry) {
            // A second outline of one region that differs from the first: which one is
            // the region is not ours to guess.
            let second = super::table::geometry_of(&code, year, row, &outline_source);
            if second.is_some_and(|g| g.rings != out.geometry[i].rings) {
                return Err(Error::input(
                    table.at(Some(row.line), None),
                    format!("{code} heeft een tweede, andere omtrek in dit bestand (de eerste bij object {first})"),
                    "houd één object per gebied (een gebied uit delen is één MultiPolygon)",
                ));
            }
        }
        for m in &measures {
            if !m.filter.iter().all(|(i, allowed)| allowed.iter().any(|a| a.trim() == row.cells[*i].trim())) {
                continue;
            }
            let total = |cols: &Option<Vec<usize>>| -> crate::Result<Option<Cell>> {
                let Some(cols) = cols else { return Ok(None) };
                let mut acc = Cell::Number(0.0);
                for &i in cols {
                    acc = match (acc, number(row, i)?) {
                        (Cell::Number(a), Cell::Number(b)) => Cell::Number(a + b),
                        (Cell::Suppressed, _) | (_, Cell::Suppressed) => Cell::Suppressed,
                        _ => Cell::Empty,
                    };
                }
                Ok(Some(acc))
            };
            let value = total(&m.value)?;
            let count = total(&m.count)?;
            let den = total(&m.den)?;
            let num = |c: Option<Cell>| match c {
                Some(Cell::Number(v)) => Some(v),
                _ => None,
            };
            let (count_v, den_v) = (num(count), num(den));
            // CBS rounds counts to 5 in small areas, so a count can exceed its
            // denominator by a rounding step (15 of 10): no share can be computed from
            // that; the cell is as good as suppressed, never 150%.
            let rounded_past = matches!((count_v, den_v), (Some(c), Some(d)) if c > d && c - d <= CBS_ROUNDING);
            let computed = match (m.spec.per, count_v, den_v) {
                (Some(per), Some(c), Some(d)) if d > 0.0 && !rounded_past => Some(c / d * per),
                _ => None,
            };
            let mut value_v = num(value).map(|v| v * m.spec.scale).or(computed);
            // CBS's re-division mark is 1, 2 or 3; anything else (empty, "." for
            // Nederland) is no mark.
            if crate::model::is_marker(&m.spec.indicator) {
                value_v = value_v.filter(|v| [1.0, 2.0, 3.0].contains(v));
                if value_v.is_none() {
                    continue;
                }
            }
            let suppressed = value_v.is_none()
                && (value == Some(Cell::Suppressed)
                    || (rounded_past && m.spec.per.is_some())
                    || count == Some(Cell::Suppressed)
                    || (m.spec.per.is_some() && den == Some(Cell::Suppressed)));
            if value_v.is_none() && !suppressed && !m.spec.sum_rows {
                continue;
            }
            // Every figure is checked against its unit as it is read.
            if let Some(ind) = catalogue.get(&m.spec.indicator) {
                let den_checked = if rounded_past { count_v } else { den_v };
                if let Err(why) = ind.unit.check(value_v, count_v, den_checked) {
                    let col = [&m.value, &m.count].into_iter().flatten().flatten().next().map(|&i| i + 1);
                    return Err(Error::input(
                        table.at(Some(row.line), col),
                        format!("{}: {why} (source {}, {})", ind.label, spec.id, code),
                        "het bestand is beschadigd of niet de tabel die het lijkt; download het opnieuw bij CBS",
                    ));
                }
            }
            let group = m.spec.group.or(group).unwrap_or(TOTAAL);
            let obs = Observation::new(
                codes.get(&code),
                year,
                indicators.get(&m.spec.indicator),
                value_v,
                [source_of(year, sub)],
                released.clone(),
            )
            .in_group(group)
            .counted(count_v, den_v)
            .marked(suppressed);
            let key = (obs.region.clone(), obs.year, obs.group, obs.indicator.clone());
            match cells.get(&key) {
                Some(&(s, _, _)) if s > sub => {}
                // Rows that add up to one figure (sum_rows): the sum.
                Some(&(s, i, _)) if s == sub && m.spec.sum_rows => add_to(&mut out.observations[i], &obs),
                // The same figure twice (one region in two rows): a second row that says
                // something else is an error naming both, never a silent winner.
                Some(&(s, i, first)) if s == sub => {
                    let was = &out.observations[i];
                    let differs = (was.value, was.count, was.denominator, was.suppressed)
                        != (obs.value, obs.count, obs.denominator, obs.suppressed);
                    // A table that names its regions (a website export) can name two
                    // buurten of one gemeente alike ("Verspreide huizen Oosterwolde" in
                    // Oldebroek): the later row is kept, as before, and it is said.
                    if differs && code_col.is_none() {
                        if clashes.insert(code.clone()) {
                            out.warnings.push(format!(
                                "{}:{}: {code} staat twee keer in het bestand (ook op regel {first}; twee gebieden met dezelfde naam?); de laatste regel telt",
                                table.path.display(),
                                row.line
                            ));
                        }
                        out.observations[i] = obs;
                        cells.insert(key, (sub, i, row.line));
                    } else if differs {
                        return Err(Error::input(
                            table.at(Some(row.line), None),
                            format!(
                                "{code} staat twee keer in het bestand met verschillende cijfers ({}, {}; de eerste op regel {first})",
                                m.spec.indicator, year
                            ),
                            "houd één regel per gebied en periode; is het bestand uit twee bestanden samengevoegd?",
                        ));
                    }
                }
                Some(&(_, i, _)) => {
                    out.observations[i] = obs;
                    cells.insert(key, (sub, i, row.line));
                }
                None => {
                    cells.insert(key, (sub, out.observations.len(), row.line));
                    out.observations.push(obs);
                }
            }
        }
    }
    // A sum with an empty part is missing (kept until here so the later parts could
    // not make it whole again).
    if spec.measure.iter().any(|m| m.sum_rows) {
        out.observations.retain(|o| o.value.is_some() || o.suppressed);
    }
    // A file of the right table with none of the rows the description reads (RIVM's
    // file for 65+ only): said, not silently empty.
    if kept_rows == 0 && !table.rows.is_empty() && !filters.is_empty() {
        out.warnings.push(format!(
            "{}: geen rijen met {}; het bestand is van tabel {} maar bevat alleen andere uitsplitsingen",
            table.path.display(),
            filters
                .iter()
                .map(|(i, allowed)| format!("{} = {}", table.headers[*i], allowed.join(" of ")))
                .collect::<Vec<_>>()
                .join(", "),
            spec.id
        ));
    }
    if !skipped_unknown.is_empty() {
        out.warnings.push(format!(
            "{}: {} gebiedsna(a)m(en) die niet in de gebiedsindeling staan, zijn overgeslagen: {}",
            table.path.display(),
            skipped_unknown.len(),
            skipped_unknown.join("; ")
        ));
    }
    Ok(out)
}

/// Adds one row's figure to the sum of a `sum_rows` measure: a secret part makes the
/// sum secret, an empty part makes it missing (value `None`, not secret), and neither
/// is undone by a later part.
fn add_to(sum: &mut Observation, part: &Observation) {
    let add = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a + b);
    if sum.suppressed || part.suppressed {
        sum.suppressed = true;
        sum.value = None;
        sum.count = None;
        return;
    }
    sum.value = add(sum.value, part.value);
    sum.count = add(sum.count, part.count);
}
