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
