//! The language of a text when the page does not declare one: `whatlang`'s trigram detector,
//! trusted only when it says its answer is reliable, mapped to the two-letter ISO 639-1
//! codes that pages declare (`<html lang="en">`) and the rest of sitrep uses.

/// How much text the detector reads: enough for a reliable answer, no more.
const SAMPLE_BYTES: usize = 2000;

/// The ISO 639-1 code of the text's language, when it can be told reliably.
pub(crate) fn detect_language(text: &str) -> Option<String> {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let info = whatlang::detect(&text[..end])?;
    if !info.is_reliable() {
        return None;
    }
    Some(two_letter(info.lang().code()).to_string())
}

/// ISO 639-3 (as whatlang names its languages) to ISO 639-1; codes without a two-letter form
/// are kept as they are.
fn two_letter(code: &'static str) -> &'static str {
    match code {
        "afr" => "af",
        "aka" => "ak",
        "amh" => "am",
        "ara" => "ar",
        "aze" => "az",
        "bel" => "be",
        "ben" => "bn",
        "bul" => "bg",
        "cat" => "ca",
        "ces" => "cs",
        "cmn" => "zh",
        "cym" => "cy",
        "dan" => "da",
        "deu" => "de",
        "ell" => "el",
        "eng" => "en",
        "epo" => "eo",
        "est" => "et",
        "fin" => "fi",
        "fra" => "fr",
        "guj" => "gu",
        "heb" => "he",
        "hin" => "hi",
        "hrv" => "hr",
        "hun" => "hu",
        "hye" => "hy",
        "ind" => "id",
        "ita" => "it",
        "jav" => "jv",
        "jpn" => "ja",
        "kan" => "kn",
        "kat" => "ka",
        "khm" => "km",
        "kor" => "ko",
        "lat" => "la",
        "lav" => "lv",
        "lit" => "lt",
        "mal" => "ml",
        "mar" => "mr",
        "mkd" => "mk",
        "mya" => "my",
        "nep" => "ne",
        "nld" => "nl",
        "nob" => "nb",
        "ori" => "or",
        "pan" => "pa",
        "pes" => "fa",
        "pol" => "pl",
        "por" => "pt",
        "ron" => "ro",
        "rus" => "ru",
        "sin" => "si",
        "slk" => "sk",
        "slv" => "sl",
        "sna" => "sn",
        "spa" => "es",
        "srp" => "sr",
        "swe" => "sv",
        "tam" => "ta",
        "tel" => "te",
        "tgl" => "tl",
        "tha" => "th",
        "tuk" => "tk",
        "tur" => "tr",
        "ukr" => "uk",
        "urd" => "ur",
        "uzb" => "uz",
        "vie" => "vi",
        "yid" => "yi",
        "zul" => "zu",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_common_languages_reliably() {
        let en = "The ceasefire in the border town held overnight, residents said on Sunday, \
                  as aid agencies prepared to send convoys with food and medicine.";
        let fr = "Le cessez-le-feu a tenu toute la nuit dans la ville frontalière, ont déclaré \
                  dimanche les habitants, alors que les agences préparaient des convois.";
        let es = "El alto el fuego se mantuvo durante la noche en la ciudad fronteriza, dijeron \
                  los residentes el domingo, mientras las agencias preparaban convoyes.";
        assert_eq!(detect_language(en).as_deref(), Some("en"));
        assert_eq!(detect_language(fr).as_deref(), Some("fr"));
        assert_eq!(detect_language(es).as_deref(), Some("es"));
        assert_eq!(detect_language("ok"), None);
    }
}
