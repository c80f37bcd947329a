//! Problems found while loading, each naming the file, the place in it and what is wrong.

use std::fmt;

/// How bad a problem is. A `Warning` skips one feature or value and the rest still loads; an
/// `Error` means the file (or the whole plan) cannot be shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something was skipped; the map can still be shown.
    Warning,
    /// Nothing of this file can be shown.
    Error,
}

/// One problem: `file: path: message`, where `path` is a JSON path such as
/// `features[3].properties.name` (empty for the file as a whole).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// The file as it was named (a layer name from the manifest, or the path given).
    pub file: String,
    /// Where in the file, as a JSON path.
    pub path: String,
    /// What is wrong, in plain words.
    pub message: String,
}

impl Diagnostic {
    /// A warning at `path` of `file`.
    pub fn warning(file: &str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            file: file.to_owned(),
            path: path.into(),
            message: message.into(),
        }
    }

    /// An error at `path` of `file`.
    pub fn error(file: &str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.path, self.message)
        }
    }
}

/// The plan could not be shown at all; carries every problem found on the way.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoadError {
    /// The problems, the fatal one(s) among them.
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for d in self
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            if !first {
                f.write_str("\n")?;
            }
            write!(f, "{d}")?;
            first = false;
        }
        if first {
            f.write_str("the plan has nothing to show")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// How many diagnostics are kept in full; past this, warnings are only counted by kind.
pub const MAX_LISTED: usize = 100;

/// How many kinds of omitted warnings are counted apart; the rest share one count.
const MAX_KINDS: usize = 20;

/// The diagnostics of one load, bounded: the first [`MAX_LISTED`] in full (and every error),
/// then a count per kind. One good feature followed by three million bad ones once gave three
/// million warnings — hundreds of MB, a `console.warn` each (issue 12); now it gives 100 lines
/// and one count.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    listed: Vec<Diagnostic>,
    /// Kind (file, path and message with numbers and quoted text blanked) → first file, count.
    omitted: Vec<(String, String, usize)>,
    kinds: std::collections::HashMap<String, usize>,
}

impl Diagnostics {
    /// Records `d`: in full while there is room (errors always), else counted by kind.
    pub fn push(&mut self, d: Diagnostic) {
        if self.listed.len() < MAX_LISTED || d.severity == Severity::Error {
            self.listed.push(d);
            return;
        }
        let mut kind = blank(&d.path);
        if !kind.is_empty() {
            kind.push_str(": ");
        }
        kind.push_str(&blank(&d.message));
        let key = format!("{}\u{0}{kind}", d.file);
        let k = match self.kinds.get(&key) {
            Some(&k) => k,
            None if self.omitted.len() < MAX_KINDS => {
                self.omitted.push((d.file.clone(), kind, 0));
                self.kinds.insert(key, self.omitted.len() - 1);
                self.omitted.len() - 1
            }
            None => {
                if self.omitted.len() == MAX_KINDS {
                    self.omitted
                        .push((d.file.clone(), "other kinds".to_owned(), 0));
                }
                MAX_KINDS
            }
        };
        self.omitted[k].2 += 1;
    }

    /// Records everything `other` recorded, as if each had been pushed here in order (a file's
    /// messages are gathered apart while it is read, then told after its duplicate keys).
    pub fn append(&mut self, other: Diagnostics) {
        for d in other.listed {
            self.push(d);
        }
        for (file, kind, n) in other.omitted {
            let key = format!("{file}\u{0}{kind}");
            let k = match self.kinds.get(&key) {
                Some(&k) => k,
                None if self.omitted.len() < MAX_KINDS && kind != "other kinds" => {
                    self.omitted.push((file, kind, 0));
                    self.kinds.insert(key, self.omitted.len() - 1);
                    self.omitted.len() - 1
                }
                None => {
                    if self.omitted.len() == MAX_KINDS {
                        self.omitted.push((file, "other kinds".to_owned(), 0));
                    }
                    MAX_KINDS
                }
            };
            self.omitted[k].2 += n;
        }
    }

    /// `true` when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }

    /// The listed diagnostics, then one warning per omitted kind:
    /// `file: 2999900 more warnings like: features[N]: expected a Feature object, found a number`.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        let mut out = self.listed;
        for (file, kind, n) in self.omitted {
            let s = if n == 1 { "" } else { "s" };
            out.push(Diagnostic::warning(
                &file,
                "",
                format!("{n} more warning{s} like: {kind}"),
            ));
        }
        out
    }
}

/// `s` with each run of digits as `N` and each quoted text as `"…"`, so messages that differ
/// only in an index, a number or a name count as one kind.
fn blank(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(200));
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            while chars.peek().is_some_and(|c| c.is_ascii_digit()) {
                chars.next();
            }
            out.push('N');
        } else if c == '"' {
            for c in chars.by_ref() {
                if c == '"' {
                    break;
                }
            }
            out.push_str("\"…\"");
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_the_first_hundred_warnings_are_counted_by_kind() {
        let mut d = Diagnostics::default();
        for i in 0..100_000 {
            d.push(Diagnostic::warning(
                "a.geojson",
                format!("features[{i}]"),
                "expected a Feature object, found a number; feature skipped",
            ));
            d.push(Diagnostic::warning(
                "a.geojson",
                format!("features[{i}].properties.id"),
                format!("duplicate id \"x{i}\"; feature skipped"),
            ));
        }
        d.push(Diagnostic::error("a.geojson", "", "nothing to show"));
        let v: Vec<String> = d.into_vec().iter().map(ToString::to_string).collect();
        assert_eq!(v.len(), 103);
        assert_eq!(
            v[0],
            "a.geojson: features[0]: expected a Feature object, found a number; feature skipped"
        );
        assert_eq!(
            v[99],
            "a.geojson: features[49].properties.id: duplicate id \"x49\"; feature skipped"
        );
        assert_eq!(v[100], "a.geojson: nothing to show");
        assert_eq!(v[101], "a.geojson: 99950 more warnings like: features[N]: expected a Feature object, found a number; feature skipped");
        assert_eq!(v[102], "a.geojson: 99950 more warnings like: features[N].properties.id: duplicate id \"…\"; feature skipped");
    }

    #[test]
    fn kinds_themselves_are_bounded() {
        let mut d = Diagnostics::default();
        for i in 0..1000 {
            d.push(Diagnostic::warning(&format!("f{i}.geojson"), "", "bad"));
        }
        let v = d.into_vec();
        assert_eq!(v.len(), MAX_LISTED + MAX_KINDS + 1);
        assert_eq!(
            v.last().unwrap().to_string(),
            "f120.geojson: 880 more warnings like: other kinds"
        );
    }
}
