//! Reading a text fast: which bytes belong to words (eight bytes at a time), the first-word
//! filter, and byte-to-char offsets counted once.

use super::forms::is_word_char;

/// Turns byte offsets into char offsets for offsets that only grow, counting only the text
/// between one finding and the next, so a check counts each byte at most once.
#[derive(Default)]
pub(super) struct CharCounter {
    byte: usize,
    chars: usize,
}

impl CharCounter {
    pub(super) fn at(&mut self, text: &str, byte: usize) -> usize {
        if byte > self.byte {
            self.chars += text.get(self.byte..byte).map_or(0, |s| s.chars().count());
            self.byte = byte;
        }
        self.chars
    }
}

/// A Bloom-style bit set that says where a name may start, so most words never reach the
/// automaton. A name can only start at a text word that is
/// * the whole of a one-word name, or that word plus a plural "s"/"es" (key kind `SINGLE`), or
/// * the first word of a longer name (`LEAD`), and then only if the text from that word to the
///   end of the next word is the name's first two words with what stands between them ("sales
///   pipeline", "run-rate"), perhaps plural (`PAIR`): ordinary words like "sales" or "team" that
///   begin longer names are turned away here instead of by a walk of the automaton.
///
/// A key is its kind, its length and its first 8 bytes with ASCII case ignored, so it costs one
/// load and one multiplication. 128 KiB; a false positive only costs a walk of the automaton.
pub(super) struct FirstWords {
    bits: Box<[u64]>,
}

impl FirstWords {
    const BITS: u32 = 20;
    const SINGLE: u64 = 1;
    const LEAD: u64 = 2;
    const PAIR: u64 = 3;

    pub(super) fn new() -> FirstWords {
        FirstWords { bits: vec![0; 1 << (Self::BITS - 6)].into_boxed_slice() }
    }

    /// The bit of the key `kind` of `bytes[start..start + len]` (`len` > 0; the bytes after it
    /// may be read but do not count).
    pub(super) fn bit(kind: u64, bytes: &[u8], start: usize, len: usize) -> usize {
        let take = len.clamp(1, 8);
        let head = load_le(bytes.get(start..).unwrap_or_default());
        // `| 0x20` lower-cases ASCII letters (and merges a few punctuation pairs: harmless here).
        let head = (head | 0x2020_2020_2020_2020) & (u64::MAX >> (64 - 8 * take as u32));
        let tag = (len as u64) << 2 | kind;
        let h = (head ^ tag.wrapping_mul(0xA076_1D64_78BD_642F)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> (64 - Self::BITS)) as usize
    }

    pub(super) fn set(&mut self, kind: u64, bytes: &[u8], len: usize) {
        let bit = Self::bit(kind, bytes, 0, len);
        self.bits[bit >> 6] |= 1 << (bit & 63);
    }

    pub(super) fn has(&self, kind: u64, bytes: &[u8], start: usize, len: usize) -> bool {
        let bit = Self::bit(kind, bytes, start, len);
        self.bits[bit >> 6] & (1 << (bit & 63)) != 0
    }

    /// Is `bytes[start..start + len]`, or the same without a plural "s"/"es", a key of `kind`?
    pub(super) fn has_or_plural(&self, kind: u64, bytes: &[u8], start: usize, len: usize) -> bool {
        let ends_with = |back: usize, b: u8| len > back && (bytes[start + len - 1 - back] | 0x20) == b;
        self.has(kind, bytes, start, len)
            || ends_with(0, b's')
                && (self.has(kind, bytes, start, len - 1)
                    || ends_with(1, b'e') && self.has(kind, bytes, start, len - 2))
    }

    /// Records where `pattern` (which starts with a word char) may start.
    pub(super) fn add(&mut self, pattern: &str) {
        let word_end = |from: usize| pattern[from..].find(|c| !is_word_char(c)).map_or(pattern.len(), |i| from + i);
        let first_end = word_end(0);
        let second_start = pattern[first_end..].find(is_word_char).map(|i| first_end + i);
        let bytes = pattern.as_bytes();
        match second_start {
            Some(second) => {
                self.set(Self::LEAD, bytes, first_end);
                self.set(Self::PAIR, bytes, word_end(second));
            }
            // One word, perhaps with punctuation after it ("C#"): the word alone decides.
            None => self.set(Self::SINGLE, bytes, first_end),
        }
    }

    /// Could a name start at the text word `bytes[start..end]`? `pair_end` gives the end of the
    /// word after it, if there is one (asked only when needed).
    pub(super) fn may_begin(
        &self,
        bytes: &[u8],
        start: usize,
        end: usize,
        pair_end: impl FnOnce() -> Option<usize>,
    ) -> bool {
        let len = end - start;
        self.has_or_plural(Self::SINGLE, bytes, start, len)
            || self.has(Self::LEAD, bytes, start, len)
                && pair_end().is_some_and(|e| self.has_or_plural(Self::PAIR, bytes, start, e - start))
    }
}

/// Which bytes of a text belong to word chars ([`is_word_char`]): bit `i % 64` of `bits[i / 64]`
/// for byte `i` (every byte of a multi-byte word char is set). Built in two passes: ASCII bytes
/// are classified 64 at a time without branches (the compiler vectorises the loop), then only
/// the blocks holding non-ASCII chars are decoded char by char. Word starts and ends are then
/// found with bit operations instead of a branch per byte.
pub(super) struct WordMask {
    pub(super) bits: Vec<u64>,
}

impl WordMask {
    pub(super) fn new(text: &str) -> WordMask {
        let bytes = text.as_bytes();
        let mut bits = vec![0u64; bytes.len().div_ceil(64)];
        // Blocks with non-ASCII chars, with a bit per byte that starts such a char.
        let mut non_ascii: Vec<(usize, u64)> = Vec::new();
        for (block, chunk) in bytes.chunks(64).enumerate() {
            let mut word = 0u64;
            let mut lead = 0u64;
            for (k, eight) in chunk.chunks(8).enumerate() {
                let x = load_le(eight);
                word |= movemask(ascii_word_bytes(x)) << (8 * k);
                // Lead bytes of multi-byte chars are 11xxxxxx.
                lead |= movemask(x & (x << 1) & HIGH_BITS) << (8 * k);
            }
            bits[block] = word;
            if lead != 0 {
                non_ascii.push((block, lead));
            }
        }
        for (block, mut lead) in non_ascii {
            while lead != 0 {
                let i = block * 64 + lead.trailing_zeros() as usize;
                lead &= lead - 1;
                let Some(c) = text.get(i..).and_then(|s| s.chars().next()) else { continue };
                if is_word_char(c) {
                    for j in i..i + c.len_utf8() {
                        bits[j / 64] |= 1 << (j % 64);
                    }
                }
            }
        }
        WordMask { bits }
    }

    /// The byte end of the first word that starts at or after byte `from`, if any.
    pub(super) fn next_word_end(&self, from: usize, n: usize) -> Option<usize> {
        let mut block = from / 64;
        let mut m = self.bits.get(block)? & (u64::MAX << (from % 64));
        while m == 0 {
            block += 1;
            m = *self.bits.get(block)?;
        }
        let start = block * 64 + m.trailing_zeros() as usize;
        (start < n).then(|| self.word_end(start, n))
    }

    /// The byte end of the word that starts at byte `start` (at most `n`).
    pub(super) fn word_end(&self, start: usize, n: usize) -> usize {
        let mut block = start / 64;
        let mut shift = start % 64;
        let mut end = start;
        while let Some(&m) = self.bits.get(block) {
            let ones = (!(m >> shift)).trailing_zeros() as usize;
            end += ones.min(64 - shift);
            if shift + ones < 64 {
                break;
            }
            block += 1;
            shift = 0;
        }
        end.min(n)
    }
}

pub(super) const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The first 8 bytes of `bytes` as a little-endian u64, zero-padded when there are fewer (one
/// load when there are 8).
pub(super) fn load_le(bytes: &[u8]) -> u64 {
    match bytes.get(..8).and_then(|eight| <[u8; 8]>::try_from(eight).ok()) {
        Some(eight) => u64::from_le_bytes(eight),
        None => {
            let mut buf = [0u8; 8];
            buf[..bytes.len()].copy_from_slice(bytes);
            u64::from_le_bytes(buf)
        }
    }
}

/// Eight bytes at once (SWAR): the high bit of each byte of the result is set when that byte is
/// an ASCII word char (letter, digit, `_`); non-ASCII bytes are never set.
pub(super) fn ascii_word_bytes(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low = x & !HIGH_BITS; // each byte < 0x80, so the sums below never carry into the next byte
                              // High bit set where `lo <= byte <= hi`.
    let in_range =
        |v: u64, lo: u8, hi: u8| (v + ONES * u64::from(0x80 - lo)) & (ONES * u64::from(0x80 + hi) - v) & HIGH_BITS;
    let letters = in_range(low | (ONES * 0x20), b'a', b'z');
    let digits = in_range(low, b'0', b'9');
    let underscore = in_range(low, b'_', b'_');
    (letters | digits | underscore) & !x
}

/// Gathers the high bit of each byte of `x` into the low 8 bits (byte 0 → bit 0).
pub(super) fn movemask(x: u64) -> u64 {
    (((x >> 7) & 0x0101_0101_0101_0101).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}
