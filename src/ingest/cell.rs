//! Cells and periods as CBS writes them: numbers with CBS's markers for secret or
//! missing values (`.`, `x`, `-99999999` …), a decimal comma in the website export, and
//! period keys and titles ("2024JJ00", "1e halfjaar 2024", "2024 september").

use super::table::Flavour;

/// A parsed cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    /// Empty: no figure.
    Empty,
    /// Secret or not available (".", "x", -99999999).
    Suppressed,
    /// A number.
    Number(f64),
}

/// A cell that is neither a number nor one of CBS's markers for a missing figure
/// ("abc", "inf", "NaN", 1e400). The callers know the file, line and column, so they
/// write the error the user reads; this only says that the cell was no figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotANumber;

/// Parses a number cell with CBS's missing markers.
pub fn parse_cell(raw: &str, flavour: Flavour) -> Result<Cell, NotANumber> {
    let t = raw.trim();
    match t {
        "" => return Ok(Cell::Empty),
        "." | "x" | "X" | "?" | "nvt" | "geheim" => return Ok(Cell::Suppressed),
        "-" => return Ok(Cell::Number(0.0)),
        _ => {}
    }
    let v: f64 =
        if flavour == Flavour::Web { t.replace(',', ".").parse() } else { t.parse() }.map_err(|_| NotANumber)?;
    // "inf", "NaN" and 1e400 parse as floats, but are no figure.
    if !v.is_finite() {
        return Err(NotANumber);
    }
    if v <= -99_999_990.0 {
        return Ok(Cell::Suppressed);
    }
    Ok(Cell::Number(v))
}

/// Year and sub-period order of a CBS period, from a title ("2023*", "1e halfjaar
/// 2024", "2024 september") or key ("2024JJ00", "2024MM09", "2024KW03").
pub fn parse_period(s: &str) -> Option<(i32, i32)> {
    let t = s.trim();
    let bytes = t.as_bytes();
    let mut year = None;
    for i in 0..bytes.len().saturating_sub(3) {
        // Bytes, not a str slice: `i` may fall inside a multi-byte character.
        let w = &bytes[i..i + 4];
        let boundary =
            (i == 0 || !bytes[i - 1].is_ascii_digit()) && (i + 4 == bytes.len() || !bytes[i + 4].is_ascii_digit());
        if boundary && w.iter().all(u8::is_ascii_digit) && (w.starts_with(b"19") || w.starts_with(b"20")) {
            year = w.iter().try_fold(0i32, |y, d| Some(y * 10 + i32::from(d - b'0')));
            break;
        }
    }
    let year = year?;
    let l = t.to_lowercase();
    let months = crate::format::MONTHS;
    let sub = if let Some(m) = months.iter().position(|m| l.contains(m)) {
        m as i32 + 1
    } else if l.contains("1e halfjaar") || l.contains("hj01") {
        6
    } else if l.contains("2e halfjaar") || l.contains("hj02") {
        12
    } else if let Some(k) = l.find("kw") {
        l[k + 2..]
            .trim_start_matches('0')
            .chars()
            .next()
            .and_then(|c| c.to_digit(10))
            .map(|q| q as i32 * 3)
            .unwrap_or(12)
    } else if let Some(k) = l.find("mm") {
        l.get(k + 2..k + 4).and_then(|m| m.parse().ok()).unwrap_or(12)
    } else if l.contains("kwartaal") {
        l.chars()
            .find(|c| c.is_ascii_digit() && *c != '0' && *c <= '4')
            .and_then(|c| c.to_digit(10))
            .map(|q| q as i32 * 3)
            .unwrap_or(12)
    } else {
        100
    };
    Some((year, sub))
}

/// The words for a sub-period of [`parse_period`] that is not the whole year, for the
/// yearly tables with half years ("1e halfjaar"); `None` for the whole year. (The
/// sub-period's number alone cannot tell June from the first half year, so anything
/// else is "deel van het jaar".)
pub fn part_of_year(sub: i32) -> Option<&'static str> {
    match sub {
        100 => None,
        6 => Some("1e halfjaar"),
        _ => Some("deel van het jaar"),
    }
}

/// The year in a file name (`wijk_2022.dbf` → 2022).
pub(crate) fn year_from_file_name(path: &std::path::Path) -> Option<i32> {
    let stem = path.file_stem()?.to_string_lossy().to_string();
    parse_period(&stem.replace(['_', '-'], " ")).map(|(y, _)| y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        assert_eq!(parse_period("2023*"), Some((2023, 100)));
        assert_eq!(parse_period("2024JJ00"), Some((2024, 100)));
        assert_eq!(parse_period("1e halfjaar 2024"), Some((2024, 6)));
        assert_eq!(parse_period("2024 september"), Some((2024, 9)));
        assert_eq!(parse_period("2024KW03"), Some((2024, 9)));
        assert_eq!(parse_period("2004/'05"), Some((2004, 100)));
        assert_eq!(parse_period("totaal"), None);
    }

    #[test]
    fn cells() {
        assert_eq!(parse_cell(" . ", Flavour::OData), Ok(Cell::Suppressed));
        assert_eq!(parse_cell("", Flavour::OData), Ok(Cell::Empty));
        assert_eq!(parse_cell("-99999999", Flavour::Plain), Ok(Cell::Suppressed));
        assert_eq!(parse_cell("2,5", Flavour::Web), Ok(Cell::Number(2.5)));
        assert_eq!(parse_cell("2.5", Flavour::OData), Ok(Cell::Number(2.5)));
        assert_eq!(parse_cell("abc", Flavour::OData), Err(NotANumber));
        assert_eq!(parse_cell("inf", Flavour::OData), Err(NotANumber));
    }
}
