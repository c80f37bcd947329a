//! A fast path for the common element of a `features` array (issue 13: all of China's
//! counties, 211 MB, is 6.9 million positions): a feature object whose geometry's
//! `coordinates` are plain nested arrays of plain numbers. Those arrays are read here in one
//! tight loop (no serde visitor, path bookkeeping or cap check per number); every other member
//! (`type`, `id`, `properties`, anything unknown) is still read by serde_json through the same
//! visitor ([`super::raw`]) as on the general path.
//!
//! It gives exactly what the general path gives, or nothing: at anything it does not expect
//! (a syntax error, a cut text, a duplicate key, an escape in a key, a cap near, a key
//! other than a feature's `type`, `id`, `properties`, `geometry` or a geometry's `type`,
//! `coordinates`, `bbox`, `encodeOffsets`, a number it does not read as serde_json does) it returns `None` with
//! the reader's state as it found it, and the reader reads the element the general way, which
//! finds the same values or says what is wrong with serde_json's own messages and positions.
//! Numbers are turned into `f64` exactly as serde_json (without `float_roundtrip`) does: the
//! digits as an integer, divided by the power of ten of the fraction's length (anything
//! longer, or with an exponent, goes the general way).

use super::json::{MAX_FEATURES, MAX_NUMBERS};
use super::raw::{
    with_state, Coords, GeomObj, Out, RawElement, RawFeature, RawGeom, Seg, State, Tok, Top, What,
};
use super::reader::word;
use serde_json::Value;

/// Whether all eight bytes of `w` are ASCII digits: each byte's high nibble is 3, and stays 3
/// with 6 added (a byte that could carry into the next fails the first test).
#[inline(always)]
fn eight_digits(w: u64) -> bool {
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const THREES: u64 = 0x3030_3030_3030_3030;
    w & HIGH == THREES && w.wrapping_add(0x0606_0606_0606_0606) & HIGH == THREES
}

/// The value of eight ASCII digits (the first in the lowest byte) in three multiplications:
/// neighbouring digits combined into pairs, pairs into fours, fours into the eight.
#[inline(always)]
fn eight_digits_value(w: u64) -> u64 {
    let d = w - 0x3030_3030_3030_3030;
    // Each byte pair (lower byte first) into a number 0–99 in the lower byte's place.
    let pairs = d.wrapping_mul(10).wrapping_add(d >> 8) & 0x00FF_00FF_00FF_00FF;
    // Each pair of pairs into 0–9999 in a 16-bit slot.
    let fours = pairs.wrapping_mul(100).wrapping_add(pairs >> 16) & 0x0000_FFFF_0000_FFFF;
    fours.wrapping_mul(10_000).wrapping_add(fours >> 32) & 0xFFFF_FFFF
}

/// Deeper `coordinates` nesting than a MultiPolygon's (4) plus margin goes the general way.
const MAX_NEST: usize = 8;

/// Reads the feature object at the start of `text` (an element of the root's `features`),
/// with `state` as the reader set it for that element (its path, depth 2). Returns the element
/// and the bytes it took, or `None` with `state` unchanged.
pub(crate) fn element(text: &[u8], state: &mut State) -> Option<(Out, usize)> {
    let (numbers, dups) = (state.numbers, state.duplicates.len());
    // The path comes back as it was whatever happens (every step pushed is popped, by
    // serde_json's reading too); the rest is put back here.
    let (depth, what) = (state.depth, state.what);
    let mut p = Parser {
        b: text,
        i: 0,
        state,
    };
    let r = p.feature();
    let i = p.i;
    if r.is_none() {
        state.numbers = numbers;
        state.duplicates.truncate(dups);
    }
    state.depth = depth;
    state.what = what;
    r.map(|f| (Out::Element(Box::new(RawElement::Feature(f))), i))
}

struct Parser<'a, 's> {
    b: &'a [u8],
    i: usize,
    state: &'s mut State,
}

impl<'a> Parser<'a, '_> {
    fn ws(&mut self) {
        self.ws_inline();
    }

    /// [`Self::ws`] inlined, for the loops over numbers: at opt-level "z" a call stays a call.
    #[inline(always)]
    fn ws_inline(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    /// [`Self::next`] inlined.
    #[inline(always)]
    fn next_inline(&mut self) -> Option<u8> {
        self.ws_inline();
        self.b.get(self.i).copied()
    }

    /// The next byte after whitespace (not taken).
    fn next(&mut self) -> Option<u8> {
        self.next_inline()
    }

    /// The key at the current byte, followed by its colon, if it is one of `keys` (written
    /// without escapes).
    fn key(&mut self, keys: &[&'static str]) -> Option<(usize, &'static str)> {
        if self.next()? != b'"' {
            return None;
        }
        let b: &'a [u8] = self.b;
        let start = self.i + 1;
        let len = b[start..].iter().position(|&c| c == b'"')?;
        let key = keys
            .iter()
            .position(|k| k.as_bytes() == &b[start..start + len])?;
        self.i = start + len + 1;
        if self.next()? != b':' {
            return None;
        }
        self.i += 1;
        Some((key, keys[key]))
    }

    /// Reads an object's members with `each(parser, key)`, each key one of `keys`; `None` on
    /// any other key (read the general way) or a duplicate.
    fn members(
        &mut self,
        keys: &[&'static str],
        each: &mut dyn FnMut(&mut Self, &str) -> Option<()>,
    ) -> Option<()> {
        if self.next()? != b'{' {
            return None;
        }
        self.i += 1;
        if self.next()? == b'}' {
            self.i += 1;
            return Some(());
        }
        let mut seen = 0u8;
        loop {
            let (at, key) = self.key(keys)?;
            let bit = 1u8 << at;
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            self.ws();
            each(self, key)?;
            match self.next()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// The value at the current byte, read by serde_json as `what` under the path's `key`
    /// at container depth `depth` (as the general path reads it, with the same caps).
    fn serde(&mut self, what: What, key: &str, depth: usize) -> Option<Out> {
        let st = &mut *self.state;
        st.path.push(Seg::Key(key.to_owned()));
        st.depth = depth;
        st.what = what;
        let rest = &self.b[self.i..];
        let (r, off) = with_state(st, || {
            let mut s = serde_json::Deserializer::from_slice(rest).into_iter::<Top>();
            let r = s.next();
            (r, s.byte_offset())
        });
        st.path.pop();
        let Some(Ok(Top(out))) = r else { return None };
        self.i += off;
        // A number cut by the end of the text reads as a shorter one: what follows must be
        // there.
        matches!(self.next()?, b',' | b'}').then_some(out)
    }

    fn value(&mut self, key: &str, depth: usize) -> Option<Value> {
        match self.serde(What::Value, key, depth)? {
            Out::Value(v) => Some(v),
            _ => None,
        }
    }

    fn feature(&mut self) -> Option<RawFeature> {
        let mut f = RawFeature::default();
        // Members of the feature object are read at depth 3, a geometry's at 4.
        let keys = ["type", "id", "properties", "geometry"];
        self.members(&keys, &mut |p, key| {
            match key {
                "type" => f.ty = Some(p.value(key, 3)?),
                "id" => f.id = Some(p.value(key, 3)?),
                "properties" => f.properties = Some(p.value(key, 3)?),
                _ => f.geometry = Some(p.geometry()?),
            }
            Some(())
        })?;
        Some(f)
    }

    fn geometry(&mut self) -> Option<RawGeom> {
        let mut g = GeomObj::default();
        self.state.path.push(Seg::Key("geometry".to_owned()));
        // Besides `type` and `coordinates`, members skipped as the general path skips them:
        // a bounding box, and the `encodeOffsets` of ECharts' maps (all of China's file).
        let keys = ["type", "coordinates", "bbox", "encodeOffsets"];
        let r = self.members(&keys, &mut |p, key| {
            match key {
                "type" => g.ty = Some(p.value(key, 4)?),
                "coordinates" => {
                    if p.next()? != b'[' {
                        return None;
                    }
                    let mut out = Vec::new();
                    p.coords(&mut out, 1)?;
                    g.coordinates = Some(Coords(out));
                }
                _ => {
                    p.serde(What::Kind, key, 4)?;
                }
            }
            Some(())
        });
        self.state.path.pop();
        r.map(|()| RawGeom::Object(g))
    }

    /// The array at the current byte (`[`), its tokens onto `out` as the general path's
    /// `Coords` reading puts them.
    fn coords(&mut self, out: &mut Vec<Tok>, nest: usize) -> Option<()> {
        if let Some([x, y]) = self.position() {
            // Most of a file: its three tokens at once (pushed one by one, each stayed a call
            // at opt-level "z").
            out.extend_from_slice(&[Tok::Arr(2), Tok::Num(x), Tok::Num(y)]);
            return Some(());
        }
        self.i += 1;
        let at = out.len();
        out.push(Tok::Arr(0));
        let mut n = 0usize;
        if self.next()? == b']' {
            self.i += 1;
            return Some(());
        }
        loop {
            match self.b.get(self.i)? {
                b'[' if nest < MAX_NEST => self.coords(out, nest + 1)?,
                b'-' | b'0'..=b'9' => {
                    let x = self.number()?;
                    out.push(Tok::Num(x));
                    self.state.numbers += 1;
                    if self.state.numbers > MAX_NUMBERS {
                        return None;
                    }
                }
                _ => return None,
            }
            n += 1;
            if n >= MAX_FEATURES {
                return None;
            }
            match self.next()? {
                b',' => {
                    self.i += 1;
                    self.ws();
                }
                b']' => {
                    self.i += 1;
                    break;
                }
                _ => return None,
            }
        }
        out[at] = Tok::Arr((out.len() - at - 1) as u32);
        Some(())
    }

    /// The position `[x, y]` at the current byte (`[`), two plain numbers as [`Self::coords`]
    /// reads them, taken with their count; `None`, nothing taken, for anything else.
    fn position(&mut self) -> Option<[f64; 2]> {
        let (start, numbers) = (self.i, self.state.numbers);
        let r = self.two_numbers();
        if r.is_none() {
            self.i = start;
            self.state.numbers = numbers;
        }
        r
    }

    fn two_numbers(&mut self) -> Option<[f64; 2]> {
        self.i += 1;
        let mut xy = [0.0; 2];
        for (k, v) in xy.iter_mut().enumerate() {
            if !matches!(self.next_inline()?, b'-' | b'0'..=b'9') {
                return None;
            }
            *v = self.number()?;
            if self.next_inline()? != [b',', b']'][k] {
                return None;
            }
            self.i += 1;
        }
        self.state.numbers += 2;
        (self.state.numbers <= MAX_NUMBERS).then_some(xy)
    }

    /// The number at the current byte, as serde_json reads it; `None` for one it would refuse
    /// or one the text may have cut.
    fn number(&mut self) -> Option<f64> {
        let b = self.b;
        let mut i = self.i;
        let neg = b[i] == b'-';
        if neg {
            i += 1;
        }
        let mut sig: u64 = 0;
        let mut digits = 0;
        match b.get(i)? {
            b'0' => {
                i += 1;
                if b.get(i)?.is_ascii_digit() {
                    return None;
                }
            }
            b'1'..=b'9' => {
                while let Some(&c @ b'0'..=b'9') = b.get(i) {
                    if digits == 19 {
                        return None;
                    }
                    sig = sig * 10 + u64::from(c - b'0');
                    digits += 1;
                    i += 1;
                }
            }
            _ => return None,
        }
        // 10 to the fraction's length: exact in an `f64` up to 10²² (as serde_json's table).
        let mut pow = 1.0;
        if b.get(i) == Some(&b'.') {
            i += 1;
            // Eight digits at a time while the count stays within serde_json's 19 (a
            // coordinate's fraction is most of its digits: `41.0693359375`), then one by one.
            while i + 8 <= b.len() && digits + 8 <= 19 {
                let w = word(b, i);
                if !eight_digits(w) {
                    break;
                }
                sig = sig * 100_000_000 + eight_digits_value(w);
                digits += 8;
                pow *= 1e8;
                i += 8;
            }
            while let Some(&c @ b'0'..=b'9') = b.get(i) {
                if digits == 19 {
                    return None;
                }
                sig = sig * 10 + u64::from(c - b'0');
                digits += 1;
                pow *= 10.0;
                i += 1;
            }
            if pow == 1.0 {
                return None;
            }
        }
        // An exponent goes the general way; so does a number the text may have cut.
        if matches!(b.get(i)?, b'e' | b'E') {
            return None;
        }
        self.i = i;
        let f = sig as f64 / pow;
        Some(if neg { -f } else { f })
    }
}

#[cfg(test)]
mod tests {
    use super::{eight_digits, eight_digits_value};

    #[test]
    fn eight_digits_at_once_read_as_one_by_one() {
        let mut x = 5u64;
        for round in 0..20_000 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let mut bytes: [u8; 8] = std::array::from_fn(|k| b'0' + ((x >> (8 * k)) % 10) as u8);
            // Now and then one byte that is not a digit, near a digit's code or far from it.
            if round % 3 == 0 {
                let k = (x >> 60) as usize % 8;
                bytes[k] = [b'/', b':', b'.', b'e', 0x00, 0xFF, 0xF9, b' '][(x >> 40) as usize % 8];
            }
            let w = u64::from_le_bytes(bytes);
            let all = bytes.iter().all(u8::is_ascii_digit);
            assert_eq!(eight_digits(w), all, "{bytes:?}");
            if all {
                let one_by_one = bytes
                    .iter()
                    .fold(0u64, |v, &c| v * 10 + u64::from(c - b'0'));
                assert_eq!(eight_digits_value(w), one_by_one, "{bytes:?}");
            }
        }
        assert_eq!(
            eight_digits_value(u64::from_le_bytes(*b"99999999")),
            99_999_999
        );
        assert_eq!(eight_digits_value(u64::from_le_bytes(*b"00000001")), 1);
    }
}
