//! Templates: the wording of every document lives in `templates/`, one MiniJinja
//! file per document kind. The defaults are embedded in the binary; a directory
//! given with `--templates DIR` overrides them file by file.
//!
//! Values inserted with `{{ … }}` are escaped for the line markup automatically,
//! so user text can never become a directive or formatting. The filter
//! `need(label, where)` marks missing data visibly as "[chưa có: label]" and
//! records a warning.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State};

use super::markup::escape;

/// The templates shipped with tthc, by file name.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("cong-bo.j2", include_str!("../../templates/cong-bo.j2")),
    ("phe-duyet.j2", include_str!("../../templates/phe-duyet.j2")),
    ("bao-cao.j2", include_str!("../../templates/bao-cao.j2")),
];

/// An error while loading or rendering a template.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// A template file could not be read.
    #[error("{path}: cannot read template: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A syntax or runtime error, with file and line.
    #[error("{file}:{line}: {cause}")]
    Render {
        /// Template file (the override path, or the embedded name).
        file: String,
        /// 1-based line in the template, 0 when unknown.
        line: usize,
        /// What went wrong.
        cause: String,
    },
    /// The template output is not valid markup.
    #[error("{file}: {error}")]
    Markup {
        /// Template file.
        file: String,
        /// The markup error.
        error: super::markup::MarkupError,
    },
}

/// Where templates come from.
#[derive(Debug, Clone, Default)]
pub struct TemplateSource {
    /// Directory of overrides, if any.
    pub dir: Option<PathBuf>,
}

impl TemplateSource {
    /// The source text and the name to show in errors for a template.
    pub fn load(&self, name: &str) -> Result<(String, String), TemplateError> {
        if let Some(dir) = &self.dir {
            let p = dir.join(name);
            if p.exists() {
                let text = std::fs::read_to_string(&p).map_err(|source| TemplateError::Io {
                    path: p.display().to_string(),
                    source,
                })?;
                return Ok((text, p.display().to_string()));
            }
        }
        DEFAULTS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, t)| (t.to_string(), format!("templates/{n} (built in)")))
            .ok_or_else(|| TemplateError::Render {
                file: name.to_string(),
                line: 0,
                cause: "no such template".into(),
            })
    }
}

fn markup_formatter(
    out: &mut Output<'_>,
    state: &State<'_, '_>,
    value: &Value,
) -> Result<(), Error> {
    if value.is_undefined() || value.is_none() {
        return Ok(());
    }
    let escape_it = matches!(state.auto_escape(), AutoEscape::Custom("tthc")) && !value.is_safe();
    let text = match value.as_str() {
        Some(s) => s.to_string(),
        None => value.to_string(),
    };
    let text = if escape_it { escape(&text) } else { text };
    out.write_str(&text)
        .map_err(|e| Error::new(ErrorKind::WriteFailure, e.to_string()))
}

fn is_blank(v: &Value) -> bool {
    if v.is_undefined() || v.is_none() {
        return true;
    }
    if let Some(s) = v.as_str() {
        return s.trim().is_empty();
    }
    matches!(v.len(), Some(0))
}

/// Render one template with a context; returns the markup and the warnings that
/// `need` recorded.
pub fn render(
    source: &TemplateSource,
    name: &str,
    ctx: &serde_json::Value,
) -> Result<(String, String, Vec<String>), TemplateError> {
    let (text, shown) = source.load(name)?;
    let warnings: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(Vec::new()));
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Custom("tthc"));
    env.set_formatter(markup_formatter);
    // Lines holding only a tag leave empty lines, which the markup ignores; keeping
    // the newline after a tag keeps every directive on its own line.
    env.set_lstrip_blocks(true);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::SemiStrict);
    let w = warnings.clone();
    env.add_filter(
        "need",
        move |v: Value, label: String, place: Option<String>| -> Value {
            if is_blank(&v) {
                let msg = match place {
                    Some(p) if !p.is_empty() => format!("{p}: missing {label}"),
                    _ => format!("missing {label}"),
                };
                if let Ok(mut g) = w.lock() {
                    g.push(msg);
                }
                Value::from(format!("[chưa có: {label}]"))
            } else {
                v
            }
        },
    );
    env.add_filter("words", |n: u64| crate::text::count_with_words(n));
    env.add_filter("two", |n: u64| crate::text::two_digits(n));
    env.add_filter("money", |v: f64| crate::text::money(v));
    env.add_filter("percent", |v: f64| crate::text::percent(v));
    env.add_filter("roman", |n: u64| roman(n));
    env.add_filter("letter", |n: u64| letter(n));
    let to_err = |e: Error, shown: &str| TemplateError::Render {
        file: shown.to_string(),
        line: e.line().unwrap_or(0),
        cause: match e.detail() {
            Some(d) => format!("{}: {d}", e.kind()),
            None => e.kind().to_string(),
        },
    };
    env.add_template_owned(name.to_string(), text)
        .map_err(|e| to_err(e, &shown))?;
    let tmpl = env.get_template(name).map_err(|e| to_err(e, &shown))?;
    let out = tmpl
        .render(Value::from_serialize(ctx))
        .map_err(|e| to_err(e, &shown))?;
    let warns = warnings.lock().map(|g| g.clone()).unwrap_or_default();
    Ok((out, shown, warns))
}

/// Roman numeral, upper case: 4 → "IV".
pub fn roman(n: u64) -> String {
    crate::text::roman(n)
}

/// The n-th letter of the Vietnamese alphabet as used for điểm: 1 → "a", 5 → "đ", 6 → "e", 7 → "g".
pub fn letter(n: u64) -> String {
    const L: [&str; 23] = [
        "a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s",
        "t", "u", "v", "x", "y",
    ];
    L.get((n as usize).wrapping_sub(1))
        .map(|s| s.to_string())
        .unwrap_or_else(|| n.to_string())
}

/// True when `dir` holds at least one template file tthc knows.
pub fn dir_has_templates(dir: &Path) -> bool {
    DEFAULTS.iter().any(|(n, _)| dir.join(n).exists())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_follow_the_vietnamese_alphabet() {
        let s: Vec<String> = (1..=11).map(letter).collect();
        assert_eq!(s.join(""), "abcdđeghikl");
        assert_eq!(roman(14), "XIV");
    }
}
