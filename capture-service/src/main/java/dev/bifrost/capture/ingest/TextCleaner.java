package dev.bifrost.capture.ingest;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The old pipeline's cleaning of descriptive text: transliterated to ASCII, trimmed (inner runs of spaces
 * collapsed to one) and title-cased as Python's {@code str.title()} does it (a letter is upper case after a
 * non-letter, lower case after a letter: {@code "SÃO JOSÉ D'OESTE"} becomes {@code "Sao Jose D'Oeste"},
 * {@code "9MM"} becomes {@code "9Mm"}).
 */
final class TextCleaner {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern SPACES = Pattern.compile("[\\s\\p{Cc}\\u00A0]+");

    /** Latin-1 characters that do not decompose into ASCII letters. */
    private static final Map<Character, String> SPECIAL = Map.ofEntries(
            Map.entry('ª', "a"), Map.entry('º', "o"), Map.entry('°', "o"), Map.entry('ß', "ss"),
            Map.entry('æ', "ae"), Map.entry('Æ', "AE"), Map.entry('ø', "o"), Map.entry('Ø', "O"),
            Map.entry('ð', "d"), Map.entry('Ð', "D"), Map.entry('þ', "th"), Map.entry('Þ', "TH"),
            Map.entry('¹', "1"), Map.entry('²', "2"), Map.entry('³', "3"), Map.entry('×', "x"),
            Map.entry('´', "'"), Map.entry('`', "'"), Map.entry('‘', "'"), Map.entry('’', "'"),
            Map.entry('“', "\""), Map.entry('”', "\""), Map.entry('–', "-"), Map.entry('—', "-"));

    private TextCleaner() {
    }

    /** Descriptive text, cleaned; {@code null} when blank. */
    static @Nullable String text(String value) {
        String trimmed = squeeze(value);
        return trimmed.isEmpty() ? null : titleCase(trimmed);
    }

    /** A code (UF, S/N, sex), trimmed and upper-cased; {@code null} when blank. */
    static @Nullable String code(String value) {
        String trimmed = squeeze(value);
        return trimmed.isEmpty() ? null : trimmed.toUpperCase(Locale.ROOT);
    }

    /** ASCII, trimmed, with every inner run of white space as one space. */
    static String squeeze(String value) {
        return SPACES.matcher(ascii(value)).replaceAll(" ").trim();
    }

    /**
     * Transliterated to ASCII: accents dropped (NFD, combining marks removed), a few Latin-1 signs spelled
     * out, any other non-ASCII character dropped.
     */
    static String ascii(String value) {
        if (isAscii(value)) {
            return value;
        }
        String decomposed = MARKS.matcher(Normalizer.normalize(value, Normalizer.Form.NFD)).replaceAll("");
        StringBuilder out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char ch = decomposed.charAt(i);
            if (ch < 0x80) {
                out.append(ch);
            } else if (Character.isSpaceChar(ch)) {
                out.append(' ');
            } else {
                String replacement = SPECIAL.get(ch);
                if (replacement != null) {
                    out.append(replacement);
                }
            }
        }
        return out.toString();
    }

    /** Python's {@code str.title()} on ASCII text. */
    static String titleCase(String value) {
        char[] chars = value.toCharArray();
        boolean afterLetter = false;
        for (int i = 0; i < chars.length; i++) {
            char ch = chars[i];
            if (Character.isLetter(ch)) {
                chars[i] = afterLetter ? Character.toLowerCase(ch) : Character.toUpperCase(ch);
                afterLetter = true;
            } else {
                afterLetter = false;
            }
        }
        return new String(chars);
    }

    private static boolean isAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
