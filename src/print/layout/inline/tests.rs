//! Unit tests of inline layout: justification, hyphenation and its
//! marks, breaks inside identifiers, ties, and lines that never overrun.

use super::*;
use crate::print::layout::breaks::{self, BreakKind};

fn body() -> TextStyle {
    TextStyle {
        family: Family::Serif,
        size: 10.0,
        leading: 13.0,
        bold: false,
        italic: false,
        gray: 0.0,
        align: Align::Justify,
        hyphenate: true,
    }
}

#[test]
fn words_of_control_and_fallback_characters_never_overrun_a_narrow_line() {
    let text = "t\u{6}\u{2621}huy*\u{2}/ grn\u{1f43a}xya t\u{9b}l\u{ec5}]\u{163f}w\u{81}c)k\u{4e13}qb\u{fffd}w p \u{5c} \u{1a}tak\u{1f483}:)\u{1f}cnsd\u{1f8}cfwjd\u{f}\u{82}\u{fff5}vk\u{fffd} r\u{13}z\u{f14}k>fwni* wrgywahf\u{1ca2}\u{fffe}d\u{1a50}d\u{2d05}v\u{19}a#\u{1f418}krsunxl_n\u{6}hu\u{fff6}\u{7} \u{1f42a}q \u{c}frh:_\u{1f522}jjv pvs\u{4e8e}m\u{e12}thzr\u{fffe}vqchewyrd\u{cf6}kea\u{9e}\u{b}rwgw\u{26b3}\u{1f5d2} e dm_- fmwpako\u{1f5d3}xb_/jebi\u{8}j\u{8ba}\u{14}c\u{1f328})gjbzeh  ok   w m hco\u{22}q\u{1f581}\u{5c}nx vs j hfcma` \u{1f5ad}\u{1f449}iw\u{9c}wkcfsr";
    let mut style = body();
    style.align = Align::Left;
    style.hyphenate = false;
    let mut shaper = Shaper::default();
    for width in [22.0, 40.0, 63.0] {
        let lines = layout_spans(
            &plain_spans(text, &style),
            &style,
            width,
            &mut shaper,
            &Hyphenation::for_language("en"),
        );
        assert_lines_fit(&lines, width);
    }
}

/// A German paragraph at the 6×9 measure: with the book's language set to
/// `de`, words break at German hyphenation points and no line is loose.
#[test]
fn a_german_paragraph_is_hyphenated_and_evenly_spaced() {
    let text = "Die nächtliche Verarbeitung der Zahlungsdaten lief seit Wochen ohne \
                Auffälligkeiten, bis die Abstimmung mit der Buchhaltung am Dienstagmorgen \
                eine Differenz von dreizehn Prozent zeigte. Niemand hatte die Eingangsdateien \
                gezählt; die Überwachung meldete nur, dass der Auftrag erfolgreich beendet \
                worden war. Verantwortungsbewusste Datenverarbeitung beginnt mit Vollständigkeitsprüfungen, \
                nicht mit Fehlermeldungen, und die Entscheidung über eine Wiederholung der \
                Ladevorgänge gehört in die Hände derer, die die Folgen für die Berichterstattung kennen.";
    let geometry = crate::print::layout::geometry::Geometry::for_paper(
        crate::print::PaperSize::TradeSixByNine,
    );
    let mut style = body();
    style.size = geometry.body;
    style.leading = geometry.leading;
    let mut shaper = Shaper::default();
    let german = Hyphenation::for_language("de");
    let lines = layout_spans(
        &plain_spans(text, &style),
        &style,
        geometry.measure(),
        &mut shaper,
        &german,
    );
    let texts: Vec<String> = lines
        .iter()
        .map(|l| l.runs.iter().map(GlyphRun::text).collect())
        .collect();
    let hyphenated = texts[..texts.len() - 1]
        .iter()
        .filter(|t| t.ends_with('-'))
        .count();
    assert!(hyphenated >= 1, "no German word was hyphenated: {texts:#?}");
    // No loose line by the breaker's badness (100·r³, TeX's measure):
    // none above TeX's \hbadness of 1000, the point at which TeX reports
    // an underfull line, nor beyond the breaker's own tolerance.
    for (line, text) in lines[..lines.len() - 1].iter().zip(&texts) {
        let badness = 100.0 * line.ratio.max(0.0).powi(3);
        assert!(
            badness <= 1000.0 && line.ratio <= 2.0,
            "loose line (badness {badness:.0}): {text}"
        );
    }
    // A 25-letter compound may still be hyphenated (it is no identifier).
    let points = breaks::break_points("Vollständigkeitsprüfungen,", false, true, &german);
    assert!(
        points.iter().any(|p| p.kind == BreakKind::Hyphen),
        "{points:?}"
    );
    // Without German patterns the same paragraph sets looser lines.
    let none = Hyphenation::for_language("xx");
    let plain = layout_spans(
        &plain_spans(text, &style),
        &style,
        geometry.measure(),
        &mut shaper,
        &none,
    );
    let loosest = |ls: &[Line]| {
        ls[..ls.len() - 1]
            .iter()
            .map(|l| l.ratio)
            .fold(f32::MIN, f32::max)
    };
    assert!(
        loosest(&lines) <= loosest(&plain),
        "{} vs {}",
        loosest(&lines),
        loosest(&plain)
    );
}

/// Every line says whether it ends in a hyphen, added or the word's
/// own, and says the same as a flow piece of its runs; a broken
/// identifier ends in the continuation mark instead, never a hyphen.
#[test]
fn lines_tell_whether_they_end_in_a_hyphen() {
    let text = "Reconciliation discrepancies accumulate unpredictably: the \
                long-running, well-established procedures misrepresent \
                extraordinarily complicated interdependencies between \
                organisations, and see analytics.course_activity_daily_stage now.";
    let mut shaper = Shaper::default();
    let lines = layout_spans(
        &plain_spans(text, &body()),
        &body(),
        150.0,
        &mut shaper,
        &Hyphenation::for_language("en"),
    );
    let mut hyphenated = 0;
    for line in &lines {
        let text: String = line.runs.iter().map(GlyphRun::text).collect();
        assert_eq!(line.hyphenated, text.trim_end().ends_with('-'), "{text}");
        let items: Vec<PageItem> = line.runs.iter().cloned().map(PageItem::Text).collect();
        assert_eq!(ends_in_hyphen(&items), line.hyphenated, "{text}");
        hyphenated += usize::from(line.hyphenated);
    }
    assert!(hyphenated >= 1, "no line was hyphenated");
}

/// Inline code breaks only after `_`, `.` or `/`, and shows the
/// continuation mark (an artifact run, like a hyphen) where it does.
#[test]
fn inline_code_breaks_after_a_separator_with_the_continuation_mark() {
    let style = body();
    let mut spans = plain_spans("Run the job as ", &style);
    spans.extend(collect(
        &[Inline::Code(
            "spark.sql(adaptive-skew:join).course_activity_daily_stage".into(),
        )],
        &style,
    ));
    spans.extend(plain_spans(" tonight.", &style));
    let mut shaper = Shaper::default();
    let lines = layout_spans(
        &spans,
        &style,
        160.0,
        &mut shaper,
        &Hyphenation::for_language("en"),
    );
    let mut marks = 0;
    for line in &lines[..lines.len() - 1] {
        let last = line.runs.iter().rev().find(|r| !r.text().trim().is_empty());
        let Some(last) = last.filter(|r| r.link == HYPHEN) else {
            continue;
        };
        assert_eq!(last.text(), CONTINUATION_MARK);
        let before = line.runs.iter().rev().find(|r| r.face == FaceId::Mono);
        let before = before.map(GlyphRun::text).unwrap_or_default();
        assert!(before.ends_with(['_', '.', '/']), "broken after {before:?}");
        marks += 1;
    }
    assert!(marks >= 1, "the identifier was never broken");
}

/// "think 10 min" keeps its number and unit together on a measure
/// where a plain space there would break.
#[test]
fn a_number_stays_with_its_unit_symbol() {
    let style = TextStyle {
        align: Align::Left,
        ..body()
    };
    let mut shaper = Shaper::default();
    let none = Hyphenation::for_language("xx");
    let width = shaper.width("Senior · think 10", FaceId::Serif, style.size) + 1.0;
    for (text, joined) in [
        ("Senior · think 10 min", "10 min"),
        ("Senior · think 10\u{a0}min", "10 min"),
    ] {
        let lines = layout_spans(
            &plain_spans(text, &style),
            &style,
            width,
            &mut shaper,
            &none,
        );
        let texts: Vec<String> = lines
            .iter()
            .map(|l| l.runs.iter().map(GlyphRun::text).collect())
            .collect();
        assert!(texts.iter().any(|t| t.contains(joined)), "{texts:?}");
    }
    // Units written out may break.
    let lines = layout_spans(
        &plain_spans("Senior · think 10 minutes", &style),
        &style,
        width,
        &mut shaper,
        &none,
    );
    assert_eq!(lines.len(), 2);
}

/// Inline code with no `_`, `.` or `/` that is wider than the line is
/// cut as a last resort, leaving room for the continuation mark, so no
/// line runs past the measure (a random book found one that did).
#[test]
fn unbreakable_code_wider_than_the_line_stays_inside_the_measure() {
    let style = body();
    let mut shaper = Shaper::default();
    let none = Hyphenation::for_language("xx");
    for width in [60.0, 114.0, 150.0] {
        let mut spans = plain_spans("see ", &style);
        spans.extend(collect(
            &[Inline::Code(
                "\"c#cb|ue⌉nslui&pnlfikqhjohcq-abcdefghij:klm".into(),
            )],
            &style,
        ));
        spans.extend(plain_spans("kvnrq!ksq and more words after it", &style));
        let lines = layout_spans(&spans, &style, width, &mut shaper, &none);
        assert_lines_fit(&lines, width);
    }
}

#[test]
fn a_space_that_starts_a_span_stays_a_break_point() {
    let mut style = body();
    style.align = Align::Left;
    style.hyphenate = false;
    let mut spans = plain_spans("alpha", &style);
    spans.extend(plain_spans(" beta gamma delta", &style));
    let mut shaper = Shaper::default();
    let lines = layout_spans(
        &spans,
        &style,
        40.0,
        &mut shaper,
        &Hyphenation::for_language("en"),
    );
    assert!(lines.len() >= 3, "{} lines", lines.len());
    for line in &lines {
        let right = line.runs.iter().map(|r| r.x + r.width).fold(0.0, f32::max);
        assert!(right <= 40.5, "line ends at {right}");
    }
}

#[test]
fn justified_lines_fill_the_measure_and_never_exceed_it() {
    let text = "Batch pipelines rarely fail loudly. These scenarios are about the loads that \
                report success with missing rows, the retries that duplicate, and the one bad \
                record or stuck lock that takes the morning down with it.";
    let mut shaper = Shaper::default();
    let lines = layout_spans(
        &plain_spans(text, &body()),
        &body(),
        200.0,
        &mut shaper,
        &Hyphenation::for_language("en"),
    );
    assert!(lines.len() > 3);
    for line in &lines[..lines.len() - 1] {
        let right = line.runs.iter().map(|r| r.x + r.width).fold(0.0, f32::max);
        assert!(right <= 200.5 && right > 195.0, "line ends at {right}");
    }
    let text_back: String = lines
        .iter()
        .map(|l| l.runs.iter().map(GlyphRun::text).collect::<String>())
        .collect::<Vec<_>>()
        .join("");
    // A line broken at a space keeps it (taking no room), so the lines
    // read back joined as they are, a hyphen at a line end removed.
    assert!(
        text_back
            .replace("-", "")
            .contains("report success with missing rows"),
        "{text_back}"
    );
    assert!(!text_back.contains("  "), "{text_back}");
}

#[test]
fn a_long_url_breaks_at_slashes_instead_of_overflowing() {
    let text =
        "see https://example.com/a/very/long/path/that/goes/on/and_on/for/ever/index.html now";
    let mut shaper = Shaper::default();
    let lines = layout_spans(
        &plain_spans(text, &body()),
        &body(),
        120.0,
        &mut shaper,
        &Hyphenation::for_language("en"),
    );
    for line in &lines {
        let right = line.runs.iter().map(|r| r.x + r.width).fold(0.0, f32::max);
        assert!(
            right <= 120.5,
            "line ends at {right}: {:?}",
            line.runs.iter().map(GlyphRun::text).collect::<Vec<_>>()
        );
    }
}

/// Every line of `lines` ends within `width` (half a point for rounding).
fn assert_lines_fit(lines: &[Line], width: f32) {
    for line in lines {
        let right = line.runs.iter().map(|r| r.x + r.width).fold(0.0, f32::max);
        assert!(
            right <= width + 0.5,
            "line ends at {right} in {width}: {:?}",
            line.runs.iter().map(GlyphRun::text).collect::<Vec<_>>()
        );
    }
}
