//! The achterstandsindex as a table (`wijkmonitor index`): one row per area and domain
//! (`totaal` for the index itself), sorted by code. CSV and JSON for programs (stable
//! snake_case columns, an empty cell where a domain is not scored, never 0); the
//! workbook for people (Dutch headers, numbers as numbers, the reason where a domain is
//! not scored, and a sheet on the method).

use crate::compare::achterstand::{Achterstand, IndexRow};

/// CSV bytes of the rows; text a spreadsheet would run as a formula gets a leading `'`.
pub fn csv(rows: &[IndexRow]) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    for r in rows {
        let mut r = r.clone();
        r.region_name = super::csv::inert(&r.region_name);
        w.serialize(r).expect("rows serialise");
    }
    w.into_inner().unwrap_or_default()
}

/// JSON bytes: the level, its indeling, the recipe, the draws and the rows.
pub fn json(index: &Achterstand, rows: &[IndexRow]) -> Vec<u8> {
    let v = serde_json::json!({
        "level": index.level.noun(),
        "indeling": index.indeling,
        "weights_file": index.weights_file,
        "draws": index.draws,
        "rows": rows,
    });
    let mut b = serde_json::to_vec_pretty(&v).expect("json serialises");
    b.push(b'\n');
    b
}

/// The workbook's columns: header and width.
const COLUMNS: [(&str, f64); 16] = [
    ("Code", 11.0),
    ("Gebied", 26.0),
    ("Niveau", 9.0),
    ("Gemeente (code)", 10.0),
    ("Domein", 14.0),
    ("Score (hoger = meer achterstand)", 12.0),
    ("Rang (1 = meeste achterstand)", 10.0),
    ("van", 8.0),
    ("Deciel (1 = meeste achterstand)", 10.0),
    ("90%-interval: van deciel", 10.0),
    ("tot deciel", 9.0),
    ("Berekend uit", 40.0),
    ("Deciel in de gemeente", 10.0),
    ("in de gemeente: van", 10.0),
    ("tot", 7.0),
    ("Niet berekend omdat", 30.0),
];

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> crate::Error {
    crate::Error::Export {
        message: e.to_string(),
        hint: "dit is een fout in wijkmonitor; de CSV-export (--format csv) heeft dezelfde regels".into(),
    }
}

/// The Dutch reason for a status code (empty when scored).
fn reason(status: &str) -> &'static str {
    match status {
        "too_few_indicators" => "te weinig indicatoren met een cijfer",
        "too_few_domains" => "te weinig domeinen berekend",
        _ => "",
    }
}

/// Workbook bytes: the rows on "Achterstandsindex", the method on "Toelichting";
/// `date` (YYYY-MM-DD) is the document's date, so the same input and date give the
/// same bytes.
pub fn xlsx(index: &Achterstand, rows: &[IndexRow], date: &str) -> crate::Result<Vec<u8>> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatBorder, Workbook};
    let mut wb = Workbook::new();
    let created = ExcelDateTime::parse_from_str(date).map_err(xlsx_err)?;
    let title = format!("Achterstandsindex van de {}", index.level.plural());
    wb.set_properties(
        &DocProperties::new()
            .set_title(&title)
            .set_author("wijkmonitor")
            .set_comment("Bron: CBS open data (CC BY 4.0)")
            .set_creation_datetime(&created),
    );
    let head = Format::new().set_bold().set_text_wrap().set_border_bottom(FormatBorder::Thin);
    let score = Format::new().set_num_format("0.000");
    let sheet = wb.add_worksheet().set_name("Achterstandsindex").map_err(xlsx_err)?;
    for (c, (h, width)) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &head).map_err(xlsx_err)?;
        sheet.set_column_width(c as u16, *width).map_err(xlsx_err)?;
    }
    sheet.set_freeze_panes(1, 2).map_err(xlsx_err)?;
    for (k, r) in rows.iter().enumerate() {
        let row = k as u32 + 1;
        let texts = [(0, &r.region), (1, &r.region_name), (3, &r.gemeente), (4, &r.domain), (11, &r.indicators_used)];
        for (c, t) in texts {
            sheet.write_string(row, c, t.as_str()).map_err(xlsx_err)?;
        }
        sheet.write_string(row, 2, r.level).map_err(xlsx_err)?;
        sheet.write_string(row, 15, reason(r.status)).map_err(xlsx_err)?;
        if let Some(s) = r.score {
            sheet.write_number_with_format(row, 5, s, &score).map_err(xlsx_err)?;
        }
        let numbers = [
            (6, r.rank.map(f64::from)),
            (7, r.rank_of.map(f64::from)),
            (8, r.decile.map(f64::from)),
            (9, r.decile_low.map(f64::from)),
            (10, r.decile_high.map(f64::from)),
            (12, r.gemeente_decile.map(f64::from)),
            (13, r.gemeente_decile_low.map(f64::from)),
            (14, r.gemeente_decile_high.map(f64::from)),
        ];
        for (c, v) in numbers {
            if let Some(v) = v {
                sheet.write_number(row, c, v).map_err(xlsx_err)?;
            }
        }
    }
    let notes = wb.add_worksheet().set_name("Toelichting").map_err(xlsx_err)?;
    let lines = [
        title.clone(),
        format!("Indeling {}; recept {}; {} trekkingen voor de onzekerheid.", index.indeling, index.weights_file, index.draws),
        "Een rang en een deciel zijn relatief: deciel 1 is het tiende deel van de gebieden met de meeste achterstand. Ze beschrijven het gebied, niet de mensen die er wonen.".into(),
        "Het 90%-interval zegt tussen welke decielen het gebied ligt als de cijfers een andere steekproef waren geweest; kleine gebieden hebben bredere intervallen.".into(),
        "Een leeg vak betekent: niet berekend (te weinig cijfers), nooit 0.".into(),
        "De methode staat in docs/achterstandsindex.md; de gewichten en indicatoren in het recept.".into(),
        "Bron: CBS open data (CC BY 4.0), RIVM/GGD'en/CBS voor de gezondheid.".into(),
    ];
    notes.set_column_width(0, 120).map_err(xlsx_err)?;
    for (k, l) in lines.iter().enumerate() {
        notes.write_string(k as u32, 0, l.as_str()).map_err(xlsx_err)?;
    }
    wb.save_to_buffer().map_err(xlsx_err)
}
