//! Every indicator value of a plan as rows: the data table of the widget and its CSV download.

use crate::chart::number;
use crate::plan::{Lang, Plan, ValueKind};

/// One value with everything needed to read and check it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Row {
    /// The area that carries it (district or zone).
    pub area: String,
    /// The indicator's name.
    pub indicator: String,
    /// The number.
    pub value: f64,
    /// The number as written, with its bound (`500 以上`).
    pub value_text: String,
    /// Its unit.
    pub unit: String,
    /// Its year.
    pub year: i32,
    /// Baseline, actual, cumulative or target, in the language.
    pub kind: String,
    /// Chapter and section.
    pub section: String,
    /// The verbatim quote.
    pub source: String,
}

fn kind_name(k: ValueKind, lang: Lang) -> &'static str {
    match (k, lang) {
        (ValueKind::Baseline, Lang::Zh) => "基期",
        (ValueKind::Actual, Lang::Zh) => "实际",
        (ValueKind::Cumulative, Lang::Zh) => "累计",
        (ValueKind::Target, Lang::Zh) => "目标",
        (ValueKind::Baseline, Lang::En) => "baseline",
        (ValueKind::Actual, Lang::En) => "actual",
        (ValueKind::Cumulative, Lang::En) => "cumulative",
        (ValueKind::Target, Lang::En) => "target",
    }
}

/// One row per value of the plan, in data order (district first, then zones).
pub fn rows(plan: &Plan, lang: Lang) -> Vec<Row> {
    plan.all_values()
        .map(|(a, v)| {
            let def = plan.indicator(&v.indicator);
            let bound = match (v.at_least, v.at_most, lang) {
                (true, _, Lang::Zh) => " 以上",
                (true, _, Lang::En) => " or more",
                (_, true, Lang::Zh) => " 以内",
                (_, true, Lang::En) => " at most",
                _ => "",
            };
            let about = match (v.approximately, lang) {
                (true, Lang::Zh) => "约 ",
                (true, Lang::En) => "about ",
                _ => "",
            };
            Row {
                area: a.name.get(lang).to_owned(),
                indicator: def.map_or(v.indicator.clone(), |d| d.name.get(lang).to_owned()),
                value: v.value,
                value_text: format!("{about}{}{bound}", number(v.value)),
                unit: def.map_or(String::new(), |d| d.unit.get(lang).to_owned()),
                year: v.year,
                kind: kind_name(v.kind, lang).to_owned(),
                section: v.section.clone(),
                source: v.source.clone(),
            }
        })
        .collect()
}

/// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// The rows as CSV, UTF-8 with a byte-order mark so that Excel opens the Chinese correctly.
pub fn csv(rows: &[Row], lang: Lang) -> String {
    let head: [&str; 8] = match lang {
        Lang::Zh => [
            "区域",
            "指标",
            "数值",
            "单位",
            "年份",
            "类型",
            "出处",
            "规划原文",
        ],
        Lang::En => [
            "area",
            "indicator",
            "value",
            "unit",
            "year",
            "kind",
            "section",
            "plan text",
        ],
    };
    let mut out = String::from("\u{feff}");
    out.push_str(&head.join(","));
    out.push_str("\r\n");
    for r in rows {
        let fields = [
            r.area.clone(),
            r.indicator.clone(),
            r.value.to_string(),
            r.unit.clone(),
            r.year.to_string(),
            r.kind.clone(),
            r.section.clone(),
            r.source.clone(),
        ];
        out.push_str(
            &fields
                .iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_commas_quotes_and_newlines() {
        assert_eq!(csv_field("plain 文字"), "plain 文字");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("cr\r"), "\"cr\r\"");
    }

    #[test]
    fn csv_starts_with_a_bom_and_has_one_line_per_row() {
        let row = Row {
            area: "皇姑区".into(),
            indicator: "高新技术企业".into(),
            value: 170.0,
            value_text: "170".into(),
            unit: "家".into(),
            year: 2020,
            kind: "实际".into(),
            section: "第一章 第一节".into(),
            source: "由“十二五”末期的15 家增加到170 家,瞪羚企业".into(),
        };
        let out = csv(&[row.clone(), row], Lang::Zh);
        assert!(out.starts_with('\u{feff}'));
        let lines: Vec<&str> = out
            .trim_start_matches('\u{feff}')
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1], "皇姑区,高新技术企业,170,家,2020,实际,第一章 第一节,\"由“十二五”末期的15 家增加到170 家,瞪羚企业\"");
    }
}
