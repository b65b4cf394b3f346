//! Dutch number formatting: decimal comma, thousands dot (7,3%; 12.345 inwoners), and
//! singular/plural. Used by the narration, the charts and the templates alike so a figure
//! reads the same everywhere.

/// Formats `v` with `decimals` decimals, Dutch style: `12.345,6`.
pub fn number(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    // Half away from zero, as the sentences' ratios and the exports round (`{:.1}` alone
    // rounds an exact tie to even: 6,25 printed as "6,2" beside a ratio of 6,3 / 2,9).
    let f = 10f64.powi(decimals.min(15) as i32);
    let rounded = (v.abs() * f).round() / f;
    let s = format!("{:.*}", decimals, if rounded.is_finite() { rounded } else { v.abs() });
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    let negative = v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0');
    let mut out = String::new();
    if negative {
        out.push('−');
    }
    out.push_str(&grouped);
    if let Some(f) = frac {
        out.push(',');
        out.push_str(&f);
    }
    out
}

/// A count, rounded to a whole number: `12.345`.
pub fn count(v: f64) -> String {
    number(v.round(), 0)
}

/// Singular or plural form by count: `plural(1.0, "wijk", "wijken")`.
pub fn plural<'a>(n: f64, one: &'a str, many: &'a str) -> &'a str {
    if (n - 1.0).abs() < f64::EPSILON {
        one
    } else {
        many
    }
}

/// A Dutch enumeration: "a", "a en b", "a, b en c".
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} en {last}", init.join(", ")),
    }
}

/// A ratio in words for the narration, only where the words are true: "ongeveer twee
/// keer zo hoog" for a ratio that rounds to 2,0 (1,95–2,05), "1,8 keer zo hoog"
/// otherwise (from 1,75); below one, "ongeveer de helft", "een derde", "een kwart" or
/// "een vijfde" where the inverse rounds to 2, 3, 4 or 5, and nothing else (the gap in
/// percent or points says it then). `None` for a ratio near 1.
pub fn ratio_words(ratio: f64) -> Option<String> {
    if !ratio.is_finite() || ratio <= 0.0 {
        return None;
    }
    let words = |n: i64| -> String {
        match n {
            2 => "twee".into(),
            3 => "drie".into(),
            4 => "vier".into(),
            5 => "vijf".into(),
            n => number(n as f64, 0),
        }
    };
    let tenths = (ratio * 10.0).round() / 10.0;
    if tenths >= 10.0 {
        // "238 keer zo hoog": tenths would be false precision.
        Some(format!("{} keer zo hoog", number(ratio.round(), 0)))
    } else if tenths >= 1.8 {
        if (tenths - tenths.round()).abs() < 1e-9 {
            Some(format!("ongeveer {} keer zo hoog", words(tenths.round() as i64)))
        } else {
            Some(format!("{} keer zo hoog", number(tenths, 1)))
        }
    } else if ratio < 0.6 {
        let inv = ((1.0 / ratio) * 10.0).round() / 10.0;
        match inv {
            x if (x - 2.0).abs() < 1e-9 => Some("ongeveer de helft".into()),
            x if (x - 3.0).abs() < 1e-9 => Some("ongeveer een derde".into()),
            x if (x - 4.0).abs() < 1e-9 => Some("ongeveer een kwart".into()),
            x if (x - 5.0).abs() < 1e-9 => Some("ongeveer een vijfde".into()),
            _ => None,
        }
    } else {
        None
    }
}

/// The civil date (YYYY-MM-DD) of a day count since 1970-01-01 (Howard Hinnant's
/// algorithm), so dates need no time-zone crate.
pub fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The Dutch month names, January first (dates on the page, StatLine period titles).
pub const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// A date written out in Dutch: `2026-11-23` → `23 november 2026`.
pub fn long_date(iso: &str) -> String {
    const M: [&str; 12] = MONTHS;
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => match (m.parse::<usize>(), d.parse::<u32>()) {
            (Ok(m), Ok(d)) if (1..=12).contains(&m) => format!("{d} {} {y}", M[m - 1]),
            _ => iso.to_string(),
        },
        _ => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_415), "2025-11-23");
        assert_eq!(long_date("2026-11-23"), "23 november 2026");
    }

    use super::*;

    #[test]
    fn a_tie_rounds_away_from_zero_as_the_ratios_do() {
        // Regression (batch --check, WK048901): 10 woninginbraken on 1.600 inwoners is
        // 6,25 per 1.000; printed "6,2" beside "2,2 keer zo hoog" as 2,9 (6,3 / 2,9).
        assert_eq!(number(6.25, 1), "6,3");
        assert_eq!(number(-6.25, 1), "−6,3");
        assert_eq!(number(0.125, 2), "0,13");
        assert_eq!(number(2.5, 0), "3");
        assert_eq!(number(1_234_567.5, 0), "1.234.568");
    }

    #[test]
    fn dutch_numbers() {
        assert_eq!(number(12345.0, 0), "12.345");
        assert_eq!(number(7.34, 1), "7,3");
        assert_eq!(number(1234567.891, 2), "1.234.567,89");
        assert_eq!(number(-3.5, 1), "−3,5");
        assert_eq!(number(-0.01, 1), "0,0");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(count(17942942.0), "17.942.942");
    }

    #[test]
    fn plural_and_ratio() {
        assert_eq!(plural(1.0, "wijk", "wijken"), "wijk");
        assert_eq!(plural(3.0, "wijk", "wijken"), "wijken");
        assert_eq!(ratio_words(2.04).unwrap(), "ongeveer twee keer zo hoog");
        // Regression: 1,8 was "ongeveer twee keer zo hoog".
        assert_eq!(ratio_words(1.8).unwrap(), "1,8 keer zo hoog");
        assert_eq!(ratio_words(2.6).unwrap(), "2,6 keer zo hoog");
        assert_eq!(ratio_words(237.76).unwrap(), "238 keer zo hoog");
        assert_eq!(ratio_words(0.5).unwrap(), "ongeveer de helft");
        // 0,4 is not "de helft": the gap in points or percent says it.
        assert!(ratio_words(0.4).is_none());
        assert!(ratio_words(1.2).is_none());
    }
}
