//! The i18n layer: every user-visible string is a [`Msg`] with a zh-CN and an English text.
//!
//! zh-CN is the default. The locale is part of the URL (`/en/...` for English) so a public
//! page's HTML depends on its URL alone and can be cached at the edge.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Locale {
    /// The value of the `lang` attribute.
    pub fn lang(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    /// The URL prefix of this locale's pages ("" for zh-CN, "/en" for English).
    pub fn prefix(self) -> &'static str {
        match self {
            Locale::ZhCn => "",
            Locale::En => "/en",
        }
    }

    pub fn other(self) -> Locale {
        match self {
            Locale::ZhCn => Locale::En,
            Locale::En => Locale::ZhCn,
        }
    }

    /// A site path in this locale: `href("/login")` is `/en/login` in English.
    pub fn href(self, path: &str) -> String {
        match (self, path) {
            (Locale::ZhCn, _) => path.to_string(),
            (Locale::En, "/") => "/en".to_string(),
            (Locale::En, p) => format!("/en{p}"),
        }
    }

    /// Splits a request path into its locale and the locale-free path.
    pub fn from_path(path: &str) -> (Locale, &str) {
        match path.strip_prefix("/en") {
            Some("") => (Locale::En, "/"),
            Some(rest) if rest.starts_with('/') => (Locale::En, rest),
            _ => (Locale::ZhCn, path),
        }
    }

    /// Picks a locale from an `Accept-Language` header (JSON API error messages).
    pub fn from_accept_language(header: &str) -> Locale {
        let first = header
            .split(',')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if first.starts_with("en") {
            Locale::En
        } else {
            Locale::ZhCn
        }
    }

    #[cfg_attr(target_arch = "wasm32", inline(always))]
    pub fn t(self, msg: Msg) -> &'static str {
        msg.text(self)
    }

    /// `msg` with each `{name}` replaced by its value, in one pass over the text. Inlined
    /// in the browser like [`Locale::t`], so an island's constant message folds to its two
    /// strings and the module carries no table of the others.
    #[cfg_attr(target_arch = "wasm32", inline(always))]
    pub fn fill(self, msg: Msg, values: &[(&str, &dyn std::fmt::Display)]) -> String {
        fill_text(self.t(msg), values)
    }
}

/// `text` with each `{name}` replaced by its value.
fn fill_text(text: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (close, *v))
        }) {
            Some((close, value)) => {
                use std::fmt::Write;
                let _ = write!(out, "{value}");
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

macro_rules! messages {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// Every user-visible message, checked at compile time.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg { $($key),* }

        /// Each message's zh-CN text, in [`Msg`] order.
        const ZH_CN: &[&str] = &[$($zh),*];
        /// Each message's English text, in [`Msg`] order.
        const EN: &[&str] = &[$($en),*];

        impl Msg {
            // Inlined into the wasm modules: a constant message folds to its two strings, and
            // the linker drops the tables when no island looks a message up at run time.
            #[cfg_attr(target_arch = "wasm32", inline(always))]
            pub fn text(self, locale: Locale) -> &'static str {
                match locale {
                    Locale::ZhCn => ZH_CN[self as usize],
                    Locale::En => EN[self as usize],
                }
            }
        }
    };
}

// The catalogue itself is data, by area, in `app/messages/*.msg` (one `Key => "zh-CN",
// "English";` per line), put together by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/messages.rs"));

/// The display name of a role.
pub fn role_text(role: emall_domain::Role, locale: Locale) -> &'static str {
    use emall_domain::Role;
    // One constant message per arm, so the wasm modules need no run-time table lookup.
    match role {
        Role::Buyer => locale.t(Msg::RoleBuyer),
        Role::Approver => locale.t(Msg::RoleApprover),
        Role::Supplier => locale.t(Msg::RoleSupplier),
        Role::Operator => locale.t(Msg::RoleOperator),
        Role::Regulator => locale.t(Msg::RoleRegulator),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip_through_locales() {
        assert_eq!(Locale::En.href("/"), "/en");
        assert_eq!(Locale::En.href("/login"), "/en/login");
        assert_eq!(Locale::ZhCn.href("/login"), "/login");
        assert_eq!(Locale::from_path("/en"), (Locale::En, "/"));
        assert_eq!(Locale::from_path("/en/login"), (Locale::En, "/login"));
        assert_eq!(Locale::from_path("/english"), (Locale::ZhCn, "/english"));
        assert_eq!(Locale::from_path("/login"), (Locale::ZhCn, "/login"));
    }

    #[test]
    fn accept_language_prefers_first_tag() {
        assert_eq!(Locale::from_accept_language("en-US,en;q=0.9"), Locale::En);
        assert_eq!(
            Locale::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"),
            Locale::ZhCn
        );
        assert_eq!(Locale::from_accept_language(""), Locale::ZhCn);
    }

    #[test]
    fn fill_replaces_named_placeholders_once() {
        assert_eq!(
            Locale::ZhCn.fill(Msg::ErrFileRows, &[("max", &10_000)]),
            "文件超过 10000 行（含表头），请分成几个文件导入。"
        );
        assert_eq!(
            Locale::En.fill(Msg::ErrRowDuplicate, &[("line", &"{line}")]),
            "The same product as line {line}."
        );
        assert_eq!(
            Locale::En.fill(Msg::ErrRowDuplicate, &[]),
            "The same product as line {line}."
        );
    }
}
