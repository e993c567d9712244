//! Turning a checked text into HTML that explains its terms.

use super::{Finding, FindingKind};

/// Appends `s` to `out` with `&`, `<`, `>`, `"` and `'` escaped, so the result is safe both as
/// element content and inside a quoted attribute.
pub fn escape_html_into(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // `i` is at an ASCII byte, hence a char boundary.
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// The whole `text`, HTML-escaped, with each finding wrapped in markup:
///
/// ```html
/// <span class="term" tabindex="0"><span class="term-word">APIs</span><span class="term-def"
///   role="note"> (API: an agreed way for two programs to talk to each other)</span></span>
/// ```
///
/// for a known term (the definition is real text, hidden by CSS until hover or focus, so screen
/// readers read it and keyboard and touch users can reveal it), and
/// `<span class="term-unknown">XYZ</span>` for an unknown acronym. Newlines are kept as they
/// are. Findings are used in byte order; any that overlap an earlier one or fall outside the
/// text or off its char boundaries are skipped, so findings from another text can never break
/// the markup.
pub fn annotate_html(text: &str, findings: &[Finding]) -> String {
    let extra: usize = findings.iter().map(|f| 90 + f.term().len() + f.definition().map_or(0, str::len)).sum();
    let mut out = String::with_capacity(text.len() + text.len() / 16 + extra);
    if findings.windows(2).all(|w| w[0].byte_start <= w[1].byte_start) {
        write_annotated(&mut out, text, findings.iter());
    } else {
        let mut sorted: Vec<&Finding> = findings.iter().collect();
        sorted.sort_by_key(|f| (f.byte_start, f.byte_end));
        write_annotated(&mut out, text, sorted.into_iter());
    }
    out
}

fn write_annotated<'a>(out: &mut String, text: &str, findings: impl Iterator<Item = &'a Finding>) {
    let mut pos = 0;
    for f in findings {
        if f.byte_start < pos || f.byte_end <= f.byte_start {
            continue;
        }
        let Some(word) = text.get(f.byte_start..f.byte_end) else { continue };
        escape_html_into(out, &text[pos..f.byte_start]);
        match f.kind {
            FindingKind::Known => {
                out.push_str(r#"<span class="term" tabindex="0"><span class="term-word">"#);
                escape_html_into(out, word);
                out.push_str(r#"</span><span class="term-def" role="note"> ("#);
                escape_html_into(out, f.term());
                if let Some(def) = f.definition() {
                    out.push_str(": ");
                    escape_html_into(out, def);
                }
                out.push_str(")</span></span>");
            }
            FindingKind::Unknown => {
                out.push_str(r#"<span class="term-unknown">"#);
                escape_html_into(out, word);
                out.push_str("</span>");
            }
        }
        pos = f.byte_end;
    }
    escape_html_into(out, &text[pos..]);
}
