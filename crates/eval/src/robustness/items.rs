//! How many items a feed holds, counted without sitrep's feed reader, so that items lost by
//! the reader (a feed read as text, refused whole, or cut short) show as a gap between what
//! came out and what was there.
//!
//! A feed here is XML whose root element is `rss`, `feed` or `RDF` (any prefix, after the
//! declaration, comments, processing instructions and a doctype), or a JSON object whose
//! `version` is a JSON Feed version URL. Its items are the `entry` elements of an Atom feed,
//! the `item` elements of RSS and RDF (any prefix; one inside another counts once), or the
//! length of the JSON Feed's `items` array.
//! The scan is lenient: end tags need not match, and XML that breaks off is counted up to
//! the break. UTF-16 and UTF-32 (by byte-order mark or the XML declaration's first bytes) are
//! transcoded first; in byte encodings the markup is ASCII, so bytes that are not UTF-8 are
//! replaced (quick-xml reads UTF-8 only).

use std::borrow::Cow;
use std::io::Read;

use quick_xml::Reader;
use quick_xml::events::Event;

/// Inputs larger than this (decompressed) are not scanned.
pub(crate) const MAX_SCAN_BYTES: u64 = 64 << 20;

/// The items a feed holds, or `None` when `bytes` (gzip-compressed or not) are not a feed.
pub(crate) fn feed_items(bytes: &[u8]) -> Option<usize> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut plain = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes)
            .take(MAX_SCAN_BYTES)
            .read_to_end(&mut plain)
            .ok()?;
        return feed_items(&plain);
    }
    let text = transcode(bytes);
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    match text.trim_start().chars().next() {
        Some('{') => json_feed_items(text),
        Some('<') => xml_feed_items(text),
        _ => None,
    }
}

fn json_feed_items(text: &str) -> Option<usize> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let version = value.get("version")?.as_str()?;
    let json_feed = [
        "https://jsonfeed.org/version/",
        "http://jsonfeed.org/version/",
    ];
    if !json_feed.iter().any(|prefix| version.starts_with(prefix)) {
        return None;
    }
    Some(
        value
            .get("items")
            .and_then(serde_json::Value::as_array)
            .map_or(0, Vec::len),
    )
}

fn xml_feed_items(text: &str) -> Option<usize> {
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    // For each open element, whether it is an item.
    let mut open: Vec<bool> = Vec::new();
    let mut open_items = 0usize;
    let mut items = 0usize;
    // The item element, by the root: Atom's `entry`, RSS's and RDF's `item`.
    let mut item_name: Option<&str> = None;
    loop {
        let (name, empty) = match reader.read_event() {
            Ok(Event::Start(tag)) => (tag.local_name().into_inner().to_string(), false),
            Ok(Event::Empty(tag)) => (tag.local_name().into_inner().to_string(), true),
            Ok(Event::End(_)) => {
                if open.pop() == Some(true) {
                    open_items -= 1;
                }
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => continue,
        };
        let wanted = match item_name {
            Some(wanted) => wanted,
            None => {
                let wanted = match name.as_str() {
                    "feed" => "entry",
                    "rss" | "RDF" => "item",
                    _ => return None,
                };
                item_name = Some(wanted);
                wanted
            }
        };
        let item = name == wanted;
        if item && open_items == 0 {
            items += 1;
        }
        if !empty {
            open.push(item);
            open_items += usize::from(item);
        }
    }
    item_name.map(|_| items)
}

/// The text of an XML or JSON input: UTF-16 and UTF-32 transcoded; anything else read as
/// UTF-8, with bytes that are not (a byte encoding's letters) replaced: markup is ASCII.
fn transcode(bytes: &[u8]) -> Cow<'_, str> {
    let utf32 = |big: bool, body: &[u8]| -> Cow<'_, str> {
        let text: String = body
            .chunks_exact(4)
            .map(|c| {
                let unit = [c[0], c[1], c[2], c[3]];
                let code = if big {
                    u32::from_be_bytes(unit)
                } else {
                    u32::from_le_bytes(unit)
                };
                char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
            })
            .collect();
        Cow::Owned(text)
    };
    let utf16 = |encoding: &'static encoding_rs::Encoding, body: &[u8]| -> Cow<'_, str> {
        Cow::Owned(encoding.decode_without_bom_handling(body).0.into_owned())
    };
    match bytes {
        [0x00, 0x00, 0xFE, 0xFF, rest @ ..] => utf32(true, rest),
        [0xFF, 0xFE, 0x00, 0x00, rest @ ..] => utf32(false, rest),
        [0x00, 0x00, 0x00, 0x3C, ..] => utf32(true, bytes),
        [0x3C, 0x00, 0x00, 0x00, ..] => utf32(false, bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(encoding_rs::UTF_16BE, rest),
        [0xFF, 0xFE, rest @ ..] => utf16(encoding_rs::UTF_16LE, rest),
        [0x00, 0x3C, 0x00, 0x3F, ..] => utf16(encoding_rs::UTF_16BE, bytes),
        [0x3C, 0x00, 0x3F, 0x00, ..] => utf16(encoding_rs::UTF_16LE, bytes),
        _ => String::from_utf8_lossy(bytes),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    const RSS: &str = "<?xml version=\"1.0\"?>\n<!-- a <b>bold</b> comment -->\n\
        <!DOCTYPE rss [<!ENTITY x \"y\">]>\n<?xml-stylesheet href=\"s.xsl\"?>\n\
        <rss><channel><title>Border</title>\
        <item><title>One</title><item>nested</item></item>\
        <item/><item><description>Three</description></item></channel></rss>";

    #[test]
    fn rss_items_are_counted_past_comments_doctypes_and_instructions() {
        assert_eq!(feed_items(RSS.as_bytes()), Some(3));
    }

    #[test]
    fn atom_and_rdf_entries_count_with_any_prefix() {
        let atom03 = "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\">\
            <entry><title>a</title></entry><entry/></feed>";
        assert_eq!(feed_items(atom03.as_bytes()), Some(2));
        let rdf = "<rdf:RDF><channel><items><rdf:Seq><rdf:li/></rdf:Seq></items></channel>\
            <rss:item>a</rss:item><rss:item>b</rss:item><rss:item>c</rss:item></rdf:RDF>";
        assert_eq!(feed_items(rdf.as_bytes()), Some(3));
        assert_eq!(feed_items(b"<a:feed xmlns:a=\"x\"></a:feed>"), Some(0));
        // An `item` in an Atom feed is not an entry.
        assert_eq!(feed_items(b"<feed><item>x</item><entry/></feed>"), Some(1));
    }

    #[test]
    fn pages_and_text_are_not_feeds() {
        assert_eq!(
            feed_items(b"<!DOCTYPE html><html><body><item/></body></html>"),
            None
        );
        assert_eq!(feed_items(b"Troops arrived on Friday."), None);
        assert_eq!(feed_items(b""), None);
        assert_eq!(
            feed_items(b"{\"text\": \"an article\"}\n{\"text\": \"b\"}\n"),
            None
        );
        assert_eq!(feed_items(b"{\"version\": \"2\", \"items\": [1]}"), None);
    }

    #[test]
    fn json_feeds_count_their_items_array_whatever_the_slashes() {
        let escaped = br#"{"version": "https:\/\/jsonfeed.org\/version\/1", "items": [{}, {}]}"#;
        assert_eq!(feed_items(escaped), Some(2));
        let no_items = br#"{"version": "https://jsonfeed.org/version/1.1", "title": "t"}"#;
        assert_eq!(feed_items(no_items), Some(0));
    }

    #[test]
    fn broken_xml_is_counted_up_to_the_break() {
        let cut = "<rss><channel><item>a</item><item>b</i></item><item>c";
        assert_eq!(feed_items(cut.as_bytes()), Some(3));
        let broken = "<rss><channel><item>a</item><!-- never closed <item>b</item></rss>";
        assert_eq!(feed_items(broken.as_bytes()), Some(1));
    }

    #[test]
    fn wide_encodings_and_gzip_are_read() {
        let utf16le: Vec<u8> = RSS.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(feed_items(&utf16le), Some(3));
        let mut utf16be_bom = vec![0xFE, 0xFF];
        utf16be_bom.extend(RSS.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(feed_items(&utf16be_bom), Some(3));
        let utf32be: Vec<u8> = RSS.chars().flat_map(|c| (c as u32).to_be_bytes()).collect();
        assert_eq!(feed_items(&utf32be), Some(3));
        let latin1 = b"<?xml version='1.0' encoding='iso-8859-1'?><rss><channel>\
            <item><title>caf\xe9 \xab x \xbb</title></item><item/></channel></rss>";
        assert_eq!(feed_items(latin1), Some(2));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(RSS.as_bytes()).unwrap();
        assert_eq!(feed_items(&gz.finish().unwrap()), Some(3));
    }
}
