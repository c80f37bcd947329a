//! Numbers as the plan writes them: no trailing zeros, thousands grouped.

/// `1896` → `1,896`; `569.70` → `569.7`; `2.68` → `2.68`.
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        return "–".to_owned();
    }
    if v.abs() >= 1e15 {
        // Beyond what a plan states in full; ×100 below would overflow near f64::MAX.
        return format!("{v:e}");
    }
    let rounded = (v * 100.0).round() / 100.0;
    let s = format!("{:.2}", rounded.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let frac = frac.trim_end_matches('0');
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if rounded < 0.0 { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn formats_like_the_plan() {
        assert_eq!(number(1896.0), "1,896");
        assert_eq!(number(569.7), "569.7");
        assert_eq!(number(2.68), "2.68");
        assert_eq!(number(184.85), "184.85");
        assert_eq!(number(1_234_567.0), "1,234,567");
        assert_eq!(number(-3.5), "-3.5");
        assert_eq!(number(0.0), "0");
    }
}
