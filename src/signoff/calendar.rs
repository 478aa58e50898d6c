//! `s75lint calendar`: every dated obligation as an iCalendar file (RFC 5545).
//!
//! Each obligation is an all-day event (`DTSTART;VALUE=DATE`, `DTEND` the day after). Its UID
//! is made from the agreement's id, the kind of obligation, where it is written and (for
//! recurring ones) the period, but never from the date: a calendar that re-imports the file
//! after the end date moves updates the event rather than adding a second one. The
//! description names the agreement, the file and line, and the clause.

use super::Portfolio;
use crate::finding::fingerprint;

/// Escapes text for a TEXT property value (RFC 5545 3.3.11).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes one content line, folded at 75 octets without splitting a character (RFC 5545 3.1).
fn line(out: &mut String, text: &str) {
    let mut width = 0;
    for c in text.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// `YYYYMMDD`.
fn basic(d: crate::agreement::values::Date) -> String {
    let (y, m, day) = d.ymd();
    format!("{y:04}{m:02}{day:02}")
}

/// The iCalendar text of every obligation in the portfolio.
pub(crate) fn render(p: &Portfolio) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//s75lint//Section 75 obligations//EN");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, "X-WR-CALNAME:Section 75 agreement obligations");
    // DTSTAMP is required; the run's date keeps the file reproducible for a given --today.
    let stamp = format!("{}T000000Z", basic(p.today));
    for e in &p.entries {
        let Some(f) = &e.facts else { continue };
        let id = f.id_or(&e.path);
        let title = f.title.as_deref().unwrap_or("");
        for o in &f.obligations {
            let uid = fingerprint(o.kind.slug(), id, &format!("{}|{}", o.clause, o.key), 0);
            let Some(next) = o.date.add_days(1) else {
                continue;
            };
            line(&mut out, "BEGIN:VEVENT");
            line(&mut out, &format!("UID:{uid}-{}@s75lint", o.kind.slug()));
            line(&mut out, &format!("DTSTAMP:{stamp}"));
            line(&mut out, &format!("DTSTART;VALUE=DATE:{}", basic(o.date)));
            line(&mut out, &format!("DTEND;VALUE=DATE:{}", basic(next)));
            line(
                &mut out,
                &format!("SUMMARY:{}", escape(&format!("{id}: {}", o.what))),
            );
            let mut desc = format!(
                "Agreement {id}{}\nClause: {} ({} line {})\n{}",
                if title.is_empty() {
                    String::new()
                } else {
                    format!(" ({title})")
                },
                o.clause,
                e.path,
                o.line,
                o.what
            );
            if o.kind == super::facts::Kind::NoticeDeadline {
                desc.push_str(
                    "\nNotice given after this day cannot end the agreement on its end date.",
                );
            }
            line(&mut out, &format!("DESCRIPTION:{}", escape(&desc)));
            line(&mut out, &format!("CATEGORIES:{}", o.kind.slug()));
            line(&mut out, "TRANSP:TRANSPARENT");
            line(&mut out, "END:VEVENT");
        }
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let mut out = String::new();
        line(&mut out, &format!("SUMMARY:{}", "é".repeat(60)));
        for l in out.split("\r\n") {
            assert!(l.len() <= 75, "{l:?}");
        }
        assert_eq!(
            out.replace("\r\n ", ""),
            format!("SUMMARY:{}\r\n", "é".repeat(60))
        );
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
