//! Bilingual text: every name and UI string exists in Chinese and, where the data gives it, English.

use serde::{Deserialize, Serialize};

/// The languages the widget speaks. Chinese is the default because the plans are Chinese
/// government documents; English is the second language of the public contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize)]
pub enum Lang {
    /// `zh-CN`, the default.
    #[default]
    Zh,
    /// `en`.
    En,
}

impl Lang {
    /// Reads a `lang` attribute: anything starting with `en` is English, everything else Chinese.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.trim().to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }
}

/// A string in Chinese with an optional English form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Text {
    /// The Chinese form, always present (may be empty for data that has no name).
    pub zh: String,
    /// The English form, when the data supplies one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl Text {
    /// A text with only a Chinese (or language-neutral) form.
    pub fn plain(s: impl Into<String>) -> Text {
        Text {
            zh: s.into(),
            en: None,
        }
    }

    /// The form for `lang`, falling back to Chinese when there is no English.
    pub fn get(&self, lang: Lang) -> &str {
        match (lang, &self.en) {
            (Lang::En, Some(en)) if !en.is_empty() => en,
            _ => &self.zh,
        }
    }
}
