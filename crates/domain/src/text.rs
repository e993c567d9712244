//! Rules for any text people send (which characters Bridge accepts) and small text helpers.

/// Control characters nobody types and PostgreSQL cannot store (NUL): Unicode's control category
/// except tab, line feed and carriage return (browsers send line breaks as CR LF).
pub fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Whether `s` holds a character that [`is_forbidden_control`] refuses.
pub fn has_forbidden_control(s: &str) -> bool {
    // Most text is ASCII without controls: look at bytes first, decode only when needed.
    let suspicious = s.bytes().any(|b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f || b == 0xc2);
    suspicious && s.chars().any(is_forbidden_control)
}

/// What a person is told beside a field that holds one.
pub const FORBIDDEN_CONTROL_MESSAGE: &str =
    "This text holds an invisible control character. Remove it (tabs and line breaks are fine) and try again.";

/// The 1-based line of the first forbidden control character in a file, if any.
pub fn first_line_with_control(data: &str) -> Option<usize> {
    data.lines().position(has_forbidden_control).map(|i| i + 1)
}

/// `s` with its first letter in upper case: "job size" → "Job size".
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_controls_but_keeps_tabs_and_line_breaks() {
        for ok in ["plain", "tab\there", "two\r\nlines\n", "café ☕ naïve", "\u{a0}non-breaking"] {
            assert!(!has_forbidden_control(ok), "{ok:?}");
        }
        for bad in ["nul\0", "\u{1}", "bell\u{7}", "del\u{7f}", "c1\u{85}", "esc\u{1b}[31m"] {
            assert!(has_forbidden_control(bad), "{bad:?}");
        }
    }

    #[test]
    fn finds_the_line_of_a_control_character() {
        assert_eq!(first_line_with_control("a,b\nc,d\n"), None);
        assert_eq!(first_line_with_control("a,b\nc\0,d\n"), Some(2));
    }
}

/// The text with its first letter made small, for a phrase inside a sentence: "Increase to EUR
/// 5" → "increase to EUR 5" (the rest keeps its capitals).
pub fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
