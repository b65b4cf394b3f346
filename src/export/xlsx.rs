//! Excel export: a workbook with the rows as numbers (display formats with the PDF's
//! decimals), one line per region on an overview sheet, and the sources and licence on
//! an explanation sheet; built in constant memory so a batch of thousands streams.

use super::TableRow;
use crate::compare::Status;

/// What a workbook says about itself on its "Toelichting" sheet.
#[derive(Debug, Clone)]
pub struct WorkbookInfo {
    /// First line, e.g. "Cijfers Voorbeeldstad" or "Cijfers van 12 wijken".
    pub title: String,
    /// Date the file was made (YYYY-MM-DD); also the document's creation date, so the
    /// same input and date give the same bytes.
    pub date: String,
    /// The figures are the fictional demo data.
    pub fictional: bool,
}

/// The Dutch word for a status in the workbook (empty for a value).
fn status_word(s: Status) -> &'static str {
    match s {
        Status::Value => "",
        Status::SmallNumber => "te weinig waarnemingen",
        Status::Suppressed => "geheim of onbetrouwbaar (CBS)",
        Status::Missing => "geen gegevens",
    }
}

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> crate::Error {
    // A full disk is not a bug of ours (a batch onto a full disk said it was).
    let io = match &e {
        rust_xlsxwriter::XlsxError::IoError(io) => Some(io),
        rust_xlsxwriter::XlsxError::ZipError(zip::result::ZipError::Io(io)) => Some(io),
        _ => None,
    };
    if let Some(io) = io {
        if let Some(hint) = crate::error::io_hint(io) {
            return crate::Error::Export { message: crate::error::io_words(io), hint: hint.into() };
        }
    }
    crate::Error::Export {
        message: e.to_string(),
        hint: "dit is een fout in wijkmonitor; de CSV-export (--format csv) heeft dezelfde regels".into(),
    }
}

/// An Excel workbook (.xlsx bytes) of any rows; see [`TableWorkbook`].
pub fn xlsx(rows: &[TableRow], info: &WorkbookInfo) -> crate::Result<Vec<u8>> {
    let mut book = TableWorkbook::new(info.clone())?;
    book.add(rows)?;
    book.finish()
}

/// The "Cijfers" columns: header and width.
const CIJFERS: [(&str, f64); 25] = [
    ("Code", 11.0),
    ("Gebied", 24.0),
    ("Niveau", 9.0),
    ("Gemeente", 16.0),
    ("Thema", 16.0),
    ("Indicator", 34.0),
    ("Indicator (id)", 18.0),
    ("Groep", 22.0),
    ("Eenheid", 10.0),
    ("Jaar", 6.0),
    ("Waarde", 10.0),
    ("Status", 18.0),
    ("Aantal", 10.0),
    ("Noemer", 11.0),
    ("Gemeente (waarde)", 11.0),
    ("Nederland", 11.0),
    ("Vergelijkbare gebieden: mediaan", 12.0),
    ("laagste", 10.0),
    ("hoogste", 10.0),
    ("Rang (1 = hoogste)", 9.0),
    ("van", 7.0),
    ("Oordeel t.o.v. Nederland", 18.0),
    ("Oordeel t.o.v. gemeente", 18.0),
    ("Bron (CBS-tabel)", 16.0),
    ("Nederland berekend uit de gemeenten", 30.0),
];

/// A region's line on the "Overzicht" sheet.
struct OverviewLine {
    code: String,
    name: String,
    level: &'static str,
    gemeente: String,
    values: Vec<(usize, f64)>,
}

/// An Excel workbook built region by region, so a batch of thousands of wijken streams
/// its rows instead of holding them: "Cijfers" has every row as the CSV has it (Dutch
/// headers, numbers as numbers, an empty cell and a status word where a figure is absent
/// — never 0) and is written in constant memory; "Overzicht" has one line per region
/// and one column per indicator (everyone, no herkomst split); "Toelichting" names the
/// sources and the licence and says what the columns mean. With fictional data every
/// sheet name says so.
pub struct TableWorkbook {
    wb: rust_xlsxwriter::Workbook,
    info: WorkbookInfo,
    next_row: u32,
    formats: Vec<rust_xlsxwriter::Format>,
    head: rust_xlsxwriter::Format,
    muted: rust_xlsxwriter::Format,
    indicators: Vec<(String, String, crate::model::Unit, usize)>,
    lines: Vec<OverviewLine>,
    /// Source id → (title, CBS's, the years its figures are of).
    sources: std::collections::BTreeMap<String, (String, bool, std::collections::BTreeSet<i32>)>,
}

impl TableWorkbook {
    fn sheet_name(&self, name: &str) -> String {
        if self.info.fictional {
            format!("{name} (fictief)")
        } else {
            name.to_string()
        }
    }

    /// Starts a workbook with the "Cijfers" header.
    pub fn new(info: WorkbookInfo) -> crate::Result<Self> {
        use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};
        let mut wb = Workbook::new();
        let created = ExcelDateTime::parse_from_str(&info.date).map_err(xlsx_err)?;
        wb.set_properties(
            &DocProperties::new()
                .set_title(&info.title)
                .set_author("wijkmonitor")
                .set_comment("Bron: CBS open data (CC BY 4.0)")
                .set_creation_datetime(&created),
        );
        let head =
            Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top).set_border_bottom(FormatBorder::Thin);
        let formats = (0..=6usize)
            .map(|d| {
                let pattern = if d == 0 { "#,##0".to_string() } else { format!("#,##0.{}", "0".repeat(d)) };
                Format::new().set_num_format(pattern)
            })
            .collect();
        let muted = Format::new().set_font_color(rust_xlsxwriter::Color::RGB(0x707070));
        let mut book = TableWorkbook {
            wb,
            info,
            next_row: 1,
            formats,
            head,
            muted,
            indicators: Vec::new(),
            lines: Vec::new(),
            sources: Default::default(),
        };
        let name = book.sheet_name("Cijfers");
        let ws = book.wb.add_worksheet_with_constant_memory().set_name(name).map_err(xlsx_err)?;
        print_setup(ws)?;
        for (c, (h, w)) in CIJFERS.iter().enumerate() {
            ws.set_column_width(c as u16, *w).map_err(xlsx_err)?;
            ws.write_with_format(0, c as u16, *h, &book.head).map_err(xlsx_err)?;
        }
        ws.set_freeze_panes(1, 2).map_err(xlsx_err)?;
        Ok(book)
    }

    /// Appends the rows of one region (or any rows, in order).
    pub fn add(&mut self, rows: &[TableRow]) -> crate::Result<()> {
        let ws = self.wb.worksheet_from_index(0).map_err(xlsx_err)?;
        let fmt = |d: usize| &self.formats[d.min(6)];
        for r in rows {
            let y = self.next_row;
            self.next_row += 1;
            ws.write(y, 0, &r.region).map_err(xlsx_err)?;
            ws.write(y, 1, &r.region_name).map_err(xlsx_err)?;
            ws.write(y, 2, r.level).map_err(xlsx_err)?;
            ws.write(y, 3, &r.gemeente_name).map_err(xlsx_err)?;
            ws.write(y, 4, &r.theme_title).map_err(xlsx_err)?;
            ws.write(y, 5, &r.label).map_err(xlsx_err)?;
            ws.write(y, 6, &r.indicator).map_err(xlsx_err)?;
            let total = r.group == crate::model::observation::TOTAAL;
            let group = if total { "iedereen" } else { r.group.label() };
            ws.write(y, 7, group).map_err(xlsx_err)?;
            ws.write(y, 8, r.unit.label()).map_err(xlsx_err)?;
            if let Some(year) = r.year {
                ws.write(y, 9, year).map_err(xlsx_err)?;
            }
            let shown = |v: Option<f64>| v.filter(|_| r.status == Status::Value);
            if let Some(v) = shown(r.value) {
                ws.write_number_with_format(y, 10, v, fmt(r.decimals)).map_err(xlsx_err)?;
            }
            ws.write_with_format(y, 11, status_word(r.status), &self.muted).map_err(xlsx_err)?;
            let cells = [
                (12, shown(r.count), 0),
                (13, shown(r.denominator), 0),
                (14, r.gemeente, r.decimals),
                (15, r.nederland, r.decimals),
                (16, r.peer_median, r.decimals),
                (17, r.peer_min, r.decimals),
                (18, r.peer_max, r.decimals),
            ];
            for (c, v, d) in cells {
                if let Some(v) = v {
                    ws.write_number_with_format(y, c, v, fmt(d)).map_err(xlsx_err)?;
                }
            }
            if let (Some(rank), Some(of)) = (r.rank, r.rank_of) {
                ws.write(y, 19, rank as u32).map_err(xlsx_err)?;
                ws.write(y, 20, of as u32).map_err(xlsx_err)?;
            }
            ws.write(y, 21, &r.rating).map_err(xlsx_err)?;
            if let Some(g) = &r.rating_gemeente {
                ws.write(y, 22, g).map_err(xlsx_err)?;
            }
            if let Some(s) = &r.source {
                ws.write(y, 23, s).map_err(xlsx_err)?;
            }
            // A derived figure names both its tables ("85990NED; 85984NED").
            for one in &r.sources {
                let entry = self
                    .sources
                    .entry(one.id.clone())
                    .or_insert_with(|| (one.title.clone(), one.cbs, Default::default()));
                entry.2.extend(r.year.filter(|_| r.status != Status::Missing));
            }
            if let Some(n) = &r.nederland_computed {
                ws.write(y, 24, n).map_err(xlsx_err)?;
            }
            if !total {
                continue;
            }
            let col = match self.indicators.iter().position(|x| x.0 == r.indicator) {
                Some(c) => c,
                None => {
                    self.indicators.push((r.indicator.clone(), r.label.clone(), r.unit, r.decimals));
                    self.indicators.len() - 1
                }
            };
            if self.lines.last().is_none_or(|l| l.code != r.region) {
                self.lines.push(OverviewLine {
                    code: r.region.clone(),
                    name: r.region_name.clone(),
                    level: r.level,
                    gemeente: r.gemeente_name.clone(),
                    values: Vec::new(),
                });
            }
            if let (Some(v), Some(line)) = (shown(r.value), self.lines.last_mut()) {
                line.values.push((col, v));
            }
        }
        Ok(())
    }

    /// Writes "Overzicht" and "Toelichting" and returns the .xlsx bytes.
    pub fn finish(self) -> crate::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.finish_into(&mut bytes)?;
        Ok(bytes)
    }

    /// As [`TableWorkbook::finish`], into `out`: a batch's workbook of every buurt is
    /// 64 MB, which then need not be held in memory beside the batch.
    pub fn finish_into<W: std::io::Write + Send>(mut self, out: W) -> crate::Result<()> {
        use rust_xlsxwriter::Format;
        let rows = self.next_row - 1;
        self.wb
            .worksheet_from_index(0)
            .and_then(|ws| ws.autofilter(0, 0, rows, CIJFERS.len() as u16 - 1).map(|_| ()))
            .map_err(xlsx_err)?;

        let name = self.sheet_name("Overzicht");
        let ws = self.wb.add_worksheet().set_name(name).map_err(xlsx_err)?;
        print_setup(ws)?;
        for (c, (h, w)) in [("Code", 11.0), ("Gebied", 24.0), ("Niveau", 9.0), ("Gemeente", 16.0)].iter().enumerate() {
            ws.write_with_format(0, c as u16, *h, &self.head).map_err(xlsx_err)?;
            ws.set_column_width(c as u16, *w).map_err(xlsx_err)?;
        }
        for (k, (_, label, unit, _)) in self.indicators.iter().enumerate() {
            let c = 4 + k as u16;
            // "Inwoners (aantal)", but not "Jongeren met jeugdzorg (aantal) (aantal)".
            let unit = unit.to_string();
            let header = if label.contains(&format!("({unit})")) { label.clone() } else { format!("{label} ({unit})") };
            ws.write_with_format(0, c, header, &self.head).map_err(xlsx_err)?;
            ws.set_column_width(c, 14.0).map_err(xlsx_err)?;
        }
        ws.set_row_height(0, 60.0).map_err(xlsx_err)?;
        ws.set_freeze_panes(1, 2).map_err(xlsx_err)?;
        for (k, line) in self.lines.iter().enumerate() {
            let y = k as u32 + 1;
            ws.write(y, 0, &line.code).map_err(xlsx_err)?;
            ws.write(y, 1, &line.name).map_err(xlsx_err)?;
            ws.write(y, 2, line.level).map_err(xlsx_err)?;
            ws.write(y, 3, &line.gemeente).map_err(xlsx_err)?;
            for (col, v) in &line.values {
                let d = self.indicators[*col].3.min(6);
                ws.write_number_with_format(y, 4 + *col as u16, *v, &self.formats[d]).map_err(xlsx_err)?;
            }
        }
        if !self.lines.is_empty() {
            let last = 3 + self.indicators.len().max(1) as u16;
            ws.autofilter(0, 0, self.lines.len() as u32, last).map_err(xlsx_err)?;
        }

        // Every indicator of the workbook with its definition and why it counts as
        // gunstig or ongunstig (the PDF keeps only its method page).
        let name = self.sheet_name("Definities");
        let ws = self.wb.add_worksheet().set_name(name).map_err(xlsx_err)?;
        print_setup(ws)?;
        let catalogue = crate::model::Catalogue::builtin();
        for (c, (h, w)) in [
            ("Indicator", 34.0),
            ("Indicator (id)", 18.0),
            ("Eenheid", 10.0),
            ("Definitie", 70.0),
            ("Hoger is", 12.0),
            ("Waarom", 70.0),
        ]
        .iter()
        .enumerate()
        {
            ws.write_with_format(0, c as u16, *h, &self.head).map_err(xlsx_err)?;
            ws.set_column_width(c as u16, *w).map_err(xlsx_err)?;
        }
        let wrap = Format::new().set_text_wrap().set_align(rust_xlsxwriter::FormatAlign::Top);
        for (k, (id, label, unit, _)) in self.indicators.iter().enumerate() {
            let y = k as u32 + 1;
            let Some(d) = catalogue.get(id) else { continue };
            let higher = match d.polarity {
                crate::model::Polarity::Higher => "gunstiger",
                crate::model::Polarity::Lower => "ongunstiger",
                crate::model::Polarity::Neutral => "geen oordeel",
            };
            for (c, v) in
                [label.as_str(), id.as_str(), unit.label(), d.definition.as_str(), higher, d.rationale.as_str()]
                    .into_iter()
                    .enumerate()
            {
                ws.write_with_format(y, c as u16, v, &wrap).map_err(xlsx_err)?;
            }
        }

        let name = self.sheet_name("Toelichting");
        let ws = self.wb.add_worksheet().set_name(name).map_err(xlsx_err)?;
        ws.set_column_width(0, 110.0).map_err(xlsx_err)?;
        let mut text: Vec<(String, bool)> = vec![(self.info.title.clone(), true)];
        if self.info.fictional {
            text.push(("FICTIEVE GEGEVENS — demo, geen echte cijfers".into(), true));
        }
        text.push((format!("Gemaakt op {} met wijkmonitor {}.", self.info.date, env!("CARGO_PKG_VERSION")), false));
        text.push((String::new(), false));
        for l in [
            "Dezelfde cijfers en oordelen als in de factsheets, uit dezelfde vergelijking.",
            "Cijfers: een regel per gebied, indicator en groep (iedereen, of een herkomstgroep vergeleken met dezelfde groep in Nederland).",
            "Overzicht: een regel per gebied, een kolom per indicator (iedereen).",
            "Een lege cel is geen 0: de kolom Status zegt waarom er geen cijfer is (geen gegevens; te weinig waarnemingen: minder dan de ondergrens, niet getoond; geheim of onbetrouwbaar: door CBS weggelaten).",
            "Waarden zijn afgerond op zoveel decimalen als de factsheet toont.",
            "Oordeel: vergeleken met Nederland (of met de gemeente als Nederland geen cijfer heeft). Gunstig/ongunstig alleen waar een hogere of lagere waarde dat betekent; anders hoger/lager. Een eerste signaal, geen oordeel over mensen.",
            "Vergelijkbare gebieden: de gebieden van hetzelfde niveau die in omvang, dichtheid, leeftijdsopbouw en herkomst het meest lijken (mediaan, laagste, hoogste).",
            "Rang: plaats onder alle gebieden van hetzelfde niveau, 1 = hoogste waarde.",
            "Nederland berekend uit de gemeenten: waar geen bron een landelijk cijfer geeft, is Nederland de som over de gemeenten of het gemiddelde van de gemeenten, gewogen naar de bevolking waarop het cijfer betrekking heeft (alleen als minstens 95% van de gemeenten het cijfer heeft).",
        ] {
            text.push((l.to_string(), false));
        }
        text.push((String::new(), false));
        let (cbs, own): (Vec<_>, Vec<_>) = self.sources.iter().partition(|(_, (_, cbs, _))| *cbs);
        if !cbs.is_empty() {
            text.push(("Bronnen: CBS open data (StatLine, Kerncijfers wijken en buurten), CC BY 4.0:".into(), true));
            text.extend(cbs.into_iter().map(|(id, (title, _, years))| (source_line(id, title, years), false)));
        }
        if !own.is_empty() {
            text.push(("Eigen bronnen (ingelezen cijfers van de gebruiker):".into(), true));
            text.extend(
                own.into_iter()
                    .map(|(id, (title, _, years))| (super::csv::inert(&source_line(id, title, years)), false)),
            );
        }
        let bold = Format::new().set_bold();
        let wrap = Format::new().set_text_wrap();
        for (k, (l, is_bold)) in text.iter().enumerate() {
            ws.write_with_format(k as u32, 0, l, if *is_bold { &bold } else { &wrap }).map_err(xlsx_err)?;
        }
        self.wb.save_to_writer(out).map_err(xlsx_err)
    }
}

/// A source in the Toelichting: its CBS title with the table id, the years used, and
/// the StatLine link for a StatLine table ("CBS, Kerncijfers wijken en buurten 2024
/// (85984NED); 2024 — https://opendata.cbs.nl/…/85984NED").
fn source_line(id: &str, title: &str, years: &std::collections::BTreeSet<i32>) -> String {
    let mut named = if title.contains(id) || title == id { title.to_string() } else { format!("{title} ({id})") };
    if !years.is_empty() {
        let ys: Vec<String> = years.iter().map(|y| y.to_string()).collect();
        named.push_str(&format!("; {}", ys.join(", ")));
    }
    if crate::model::is_statline_id(id) {
        format!("{named} — https://opendata.cbs.nl/statline/#/CBS/nl/dataset/{}/table", id.to_ascii_uppercase())
    } else {
        named
    }
}

/// Print setup of a sheet: landscape, as wide as one page, the header row on every page.
fn print_setup(ws: &mut rust_xlsxwriter::Worksheet) -> crate::Result<()> {
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0).map_err(xlsx_err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::Reader;

    fn row(region: &str, indicator: &str, value: Option<f64>, status: Status, source: &str) -> TableRow {
        TableRow {
            region: region.into(),
            region_name: format!("Gebied {region}"),
            indicator: indicator.into(),
            label: indicator.into(),
            theme: "wonen".into(),
            group: crate::model::observation::TOTAAL,
            unit: crate::model::Unit::Percent,
            year: Some(2024),
            value,
            count: None,
            denominator: None,
            status,
            gemeente: None,
            nederland: Some(10.0),
            peer_median: None,
            peer_min: None,
            peer_max: None,
            rank: None,
            rank_of: None,
            rating: "vergelijkbaar".into(),
            rating_gemeente: None,
            source: Some(source.into()),
            // In these rows a StatLine id (…NED) is CBS's, anything else a user's own.
            sources: source.split("; ").map(|id| crate::model::Source::new(id, id, id.ends_with("NED"))).collect(),
            decile_low: None,
            decile_high: None,
            nederland_computed: None,
            level: "wijk",
            gemeente_name: "Voorbeeldstad".into(),
            theme_title: "Wonen & leefomgeving".into(),
            decimals: 1,
        }
    }

    fn sheet(bytes: Vec<u8>, name: &str) -> Vec<Vec<String>> {
        let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = wb.worksheet_range(name).unwrap();
        range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn sources_of_a_derived_figure_are_listed_one_by_one() {
        // Regression: "85990NED; 85984NED" was listed as one source, under "Eigen bronnen".
        let rows = [
            row("WK1", "a", Some(12.5), Status::Value, "85990NED; 85984NED"),
            row("WK1", "b", None, Status::Missing, "burgerpeiling 2024"),
        ];
        let info = WorkbookInfo { title: "Cijfers".into(), date: "2026-11-23".into(), fictional: false };
        let text: Vec<String> =
            sheet(xlsx(&rows, &info).unwrap(), "Toelichting").into_iter().map(|r| r[0].clone()).collect();
        let at =
            |l: &str| text.iter().position(|x| x.starts_with(l)).unwrap_or_else(|| panic!("no line {l}: {text:?}"));
        let cbs = at("Bronnen: CBS open data (StatLine, Kerncijfers wijken en buurten), CC BY 4.0:");
        let own = at("Eigen bronnen (ingelezen cijfers van de gebruiker):");
        assert!(cbs < at("85984NED") && at("85990NED") < own && own < at("burgerpeiling 2024"));
        assert!(!text.iter().any(|l| l.contains("85990NED; 85984NED")));
        // A StatLine table comes with its link.
        assert!(text[at("85984NED")].ends_with("https://opendata.cbs.nl/statline/#/CBS/nl/dataset/85984NED/table"));
    }

    #[test]
    fn text_that_looks_like_a_formula_stays_text() {
        let mut r = row("WK1", "a", Some(1.0), Status::Value, "=1+1");
        r.label = "=HYPERLINK(\"http://x\")".into();
        let info = WorkbookInfo { title: "Cijfers".into(), date: "2026-11-23".into(), fictional: false };
        let bytes = xlsx(&[r.clone()], &info).unwrap();
        let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        for name in wb.sheet_names() {
            let formulas = wb.worksheet_formula(&name).unwrap();
            assert!(formulas.used_cells().next().is_none(), "{name} has a formula");
        }
        let cijfers = wb.worksheet_range("Cijfers").unwrap();
        assert_eq!(cijfers.get((1, 5)), Some(&calamine::Data::String("=HYPERLINK(\"http://x\")".into())));
        // The CSV puts a ' before it.
        let csv = String::from_utf8(crate::export::csv_rows(&[r])).unwrap();
        assert!(csv.contains("'=HYPERLINK") && csv.contains(",'=1+1,"), "{csv}");
    }

    #[test]
    fn a_unit_already_in_the_label_is_not_repeated() {
        let mut r = row("WK1", "jeugdzorg_jongeren", Some(12.0), Status::Value, "85990NED");
        r.label = "Jongeren met jeugdzorg (aantal)".into();
        r.unit = crate::model::Unit::Aantal;
        let info = WorkbookInfo { title: "Cijfers".into(), date: "2026-11-23".into(), fictional: false };
        let overview = sheet(xlsx(&[r], &info).unwrap(), "Overzicht");
        assert_eq!(overview[0][4], "Jongeren met jeugdzorg (aantal)");
    }

    #[test]
    fn overview_has_a_line_per_region_and_gaps_stay_empty() {
        let rows = [
            row("WK1", "a", Some(12.5), Status::Value, "85984NED"),
            row("WK1", "b", None, Status::SmallNumber, "85984NED"),
            row("WK2", "a", None, Status::Suppressed, "85984NED"),
            row("WK2", "b", Some(0.0), Status::Value, "85984NED"),
        ];
        let info = WorkbookInfo { title: "Cijfers".into(), date: "2026-11-23".into(), fictional: false };
        let overview = sheet(xlsx(&rows, &info).unwrap(), "Overzicht");
        assert_eq!(overview[0][4..], ["a (%)", "b (%)"]);
        assert_eq!(overview[1][..2], ["WK1", "Gebied WK1"]);
        assert_eq!(overview[1][4..], ["12.5", ""]);
        // A real zero is a zero; a suppressed figure is empty.
        assert_eq!(overview[2][4..], ["", "0"]);
    }
}
