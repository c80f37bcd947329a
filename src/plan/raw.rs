//! Typed reading of one JSON value at a time, with planmap's caps checked as the bytes are
//! read: a feature's geometry straight into a compact token list of numbers (no
//! `serde_json::Value` per coordinate), its `type`, `id` and `properties` as small values,
//! everything else skipped (still counted against the caps, duplicate keys still found).
//!
//! The reader ([`super::reader`]) hands serde_json one value at a time (a member of the root
//! object, or one element of its `features` array); the visitors here share the caps' counters
//! through [`STATE`], which the reader swaps in for the duration of each value.

use super::json::{MAX_DEPTH, MAX_FEATURES, MAX_NUMBERS, MAX_STRING_BYTES};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;

/// Marks a cap error among serde_json's messages.
pub(crate) const CAP: &str = "planmap cap: ";
/// Marks nesting past [`MAX_DEPTH`] found by planmap's own count (serde_json's own limit
/// says "recursion limit exceeded").
pub(crate) const DEPTH: &str = "planmap depth";

/// What a number written beyond ±1.8e308 (`1e999`) reads as: a marker string of the same
/// byte length, so the rest of the file still loads and the feature holding it is skipped
/// with a message (JSON.parse reads Infinity; serde_json refuses the whole file).
pub(crate) const OVERFLOW: [&str; 2] = ["\u{E000}", "\u{E001}"];

/// The kind of an overflowing number, as messages name it.
pub(crate) const OVERFLOW_KIND: &str = "a number beyond ±1.8e308";

/// The counters and the position of one file's reading.
#[derive(Default, Debug)]
pub(crate) struct State {
    /// Numbers read so far (the number cap).
    pub(crate) numbers: usize,
    /// Where the reader is: keys and indices from the root.
    pub(crate) path: Vec<Seg>,
    /// Paths of duplicate keys, in the order their second value ended (at most 1000).
    pub(crate) duplicates: Vec<String>,
    /// Containers enclosing the value being read (the depth cap).
    pub(crate) depth: usize,
}

/// One step of a path.
#[derive(Debug, Clone)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// `features[3].geometry.coordinates[0]`.
pub(crate) fn path_string(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if s.is_empty() => s.push_str(k),
            Seg::Key(k) => {
                s.push('.');
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

thread_local! {
    /// The state of the file being read, swapped in by the reader around each value (serde's
    /// `Deserialize` has no room for it, and the stream deserializer needs a `Deserialize`).
    pub(crate) static STATE: RefCell<State> = RefCell::new(State::default());
}

/// Runs `f` with `state` as the current [`STATE`].
pub(crate) fn with_state<R>(state: &mut State, f: impl FnOnce() -> R) -> R {
    STATE.with(|s| std::mem::swap(&mut *s.borrow_mut(), state));
    let r = f();
    STATE.with(|s| std::mem::swap(&mut *s.borrow_mut(), state));
    r
}

type St<'a> = &'a RefCell<State>;

fn number<E: de::Error>(st: St) -> Result<(), E> {
    let mut s = st.borrow_mut();
    s.numbers += 1;
    if s.numbers > MAX_NUMBERS {
        return Err(E::custom(format!(
            "{CAP}more than {MAX_NUMBERS} numbers; planmap reads at most {MAX_NUMBERS} per file (about {} positions: the vertex cap)",
            MAX_NUMBERS / 2
        )));
    }
    Ok(())
}

fn string<E: de::Error>(st: St, s: &str) -> Result<(), E> {
    if s.len() > MAX_STRING_BYTES {
        let at = path_string(&st.borrow().path);
        let at = if at.is_empty() {
            String::new()
        } else {
            format!("{at}: ")
        };
        return Err(E::custom(format!(
            "{CAP}{at}a string of {} bytes; planmap reads strings of at most {} KB (the string cap)",
            s.len(),
            MAX_STRING_BYTES / 1024
        )));
    }
    Ok(())
}

/// The message of an array holding more than [`MAX_FEATURES`] elements, at the current path.
pub(crate) fn too_many(path: &[Seg]) -> String {
    let at = path_string(path);
    let what = if at.ends_with("features") {
        "features"
    } else {
        "elements in one array"
    };
    format!(
        "{CAP}{}more than {MAX_FEATURES} {what}; planmap reads at most {MAX_FEATURES} (the feature cap)",
        if at.is_empty() {
            String::new()
        } else {
            format!("{at}: ")
        }
    )
}

/// Enters a container: the depth cap. Returns the depth to restore.
fn enter<E: de::Error>(st: St) -> Result<usize, E> {
    let mut s = st.borrow_mut();
    let d = s.depth;
    if d + 1 >= MAX_DEPTH {
        return Err(E::custom(DEPTH));
    }
    s.depth = d + 1;
    Ok(d)
}

fn leave(st: St, d: usize) {
    st.borrow_mut().depth = d;
}

fn overflow_kind(s: &str) -> Option<usize> {
    OVERFLOW.iter().position(|m| *m == s)
}

/// Reads the elements of an array with `each(index, seq)` → `Ok(false)` at its end, keeping
/// the path and the element cap.
fn elements<'de, A: SeqAccess<'de>>(
    st: St,
    seq: &mut A,
    mut each: impl FnMut(&mut A) -> Result<bool, A::Error>,
) -> Result<(), A::Error> {
    let d = enter::<A::Error>(st)?;
    let mut n = 0;
    let r = loop {
        st.borrow_mut().path.push(Seg::Index(n));
        let next = each(seq);
        st.borrow_mut().path.pop();
        match next {
            Err(e) => break Err(e),
            Ok(false) => break Ok(()),
            Ok(true) => {}
        }
        if n >= MAX_FEATURES {
            break Err(de::Error::custom(too_many(&st.borrow().path)));
        }
        n += 1;
    };
    leave(st, d);
    r
}

/// Reads the members of an object with `each(key, map)`, keeping the path, the string cap on
/// keys and the record of duplicate keys (the last value is kept: `each` overwrites).
fn members<'de, A: MapAccess<'de>>(
    st: St,
    map: &mut A,
    mut each: impl FnMut(&str, &mut A) -> Result<(), A::Error>,
) -> Result<(), A::Error> {
    let d = enter::<A::Error>(st)?;
    let mut seen: HashSet<String> = HashSet::new();
    let r = (|| {
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            string::<A::Error>(st, &key)?;
            let key = key.into_owned();
            st.borrow_mut().path.push(Seg::Key(key.clone()));
            let r = each(&key, map);
            if r.is_ok() && !seen.insert(key) {
                let mut s = st.borrow_mut();
                if s.duplicates.len() < 1000 {
                    let p = path_string(&s.path);
                    s.duplicates.push(p);
                }
            }
            st.borrow_mut().path.pop();
            r?;
        }
        Ok(())
    })();
    leave(st, d);
    r
}

/// Reads any JSON value into a `serde_json::Value` within the caps (`keep`), or only checks it
/// (`!keep`: containers come back empty, their kind is all that is kept).
pub(crate) struct Capped<'a> {
    pub(crate) st: St<'a>,
    pub(crate) keep: bool,
}

impl<'de> DeserializeSeed<'de> for Capped<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Capped<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        number::<E>(self.st)?;
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        number::<E>(self.st)?;
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        match serde_json::Number::from_f64(v) {
            Some(n) => {
                number::<E>(self.st)?;
                Ok(Value::Number(n))
            }
            None => Ok(Value::String(OVERFLOW[usize::from(v < 0.0)].to_owned())),
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        string::<E>(self.st, v)?;
        Ok(Value::String(v.to_owned()))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let (st, keep) = (self.st, self.keep);
        let mut out = Vec::new();
        elements(st, &mut seq, |seq| {
            match seq.next_element_seed(Capped { st, keep })? {
                Some(v) if keep => out.push(v),
                Some(_) => {}
                None => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let (st, keep) = (self.st, self.keep);
        let mut out = Map::new();
        members(st, &mut map, |key, map| {
            let v = map.next_value_seed(Capped { st, keep })?;
            if keep {
                out.insert(key.to_owned(), v);
            }
            Ok(())
        })?;
        Ok(Value::Object(out))
    }
}

/// The kind of a value read only for its kind: "a string", "an array" …
fn skip_kind<'de, D: de::Deserializer<'de>>(st: St, d: D) -> Result<&'static str, D::Error> {
    Ok(super::json::kind_of(
        &Capped { st, keep: false }.deserialize(d)?,
    ))
}

/// One token of a coordinates value: an array (with the number of tokens of its contents
/// after it), a number, or anything else by its kind.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Tok {
    Arr(u32),
    Num(f64),
    Other(&'static str),
}

/// A `coordinates` value as tokens, read before the geometry's `type` may be known (members
/// come in any order); `geometry` reads them as positions, lines or rings.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Coords(pub(crate) Vec<Tok>);

struct CoordsSeed<'a, 'b> {
    st: St<'a>,
    out: &'b mut Vec<Tok>,
}

impl<'de> DeserializeSeed<'de> for CoordsSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CoordsSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("coordinates")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        self.out.push(Tok::Other("a boolean"));
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        number::<E>(self.st)?;
        self.out.push(Tok::Num(v as f64));
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        number::<E>(self.st)?;
        self.out.push(Tok::Num(v as f64));
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        if v.is_finite() {
            number::<E>(self.st)?;
            self.out.push(Tok::Num(v));
        } else {
            self.out.push(Tok::Other(OVERFLOW_KIND));
        }
        Ok(())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        string::<E>(self.st, v)?;
        self.out.push(Tok::Other(if overflow_kind(v).is_some() {
            OVERFLOW_KIND
        } else {
            "a string"
        }));
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.out.push(Tok::Other("null"));
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        self.out.push(Tok::Other("null"));
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let (st, out) = (self.st, self.out);
        let at = out.len();
        out.push(Tok::Arr(0));
        elements(st, &mut seq, |seq| {
            Ok(seq
                .next_element_seed(CoordsSeed { st, out: &mut *out })?
                .is_some())
        })?;
        out[at] = Tok::Arr((out.len() - at - 1) as u32);
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        Capped {
            st: self.st,
            keep: false,
        }
        .visit_map(map)?;
        self.out.push(Tok::Other("an object"));
        Ok(())
    }
}

/// A geometry object's members that matter, read typed; members are kept as the last value
/// given (as JSON.parse does).
#[derive(Clone, Debug, Default)]
pub(crate) struct GeomObj {
    pub(crate) ty: Option<Value>,
    pub(crate) coordinates: Option<Coords>,
    pub(crate) geometries: Option<GeomList>,
}

/// What a `geometry` member (or a member of `geometries`) holds.
#[derive(Clone, Debug)]
pub(crate) enum RawGeom {
    Null,
    Object(GeomObj),
    /// Anything else, by its kind.
    Other(&'static str),
    /// Already read into shapes (a bare geometry file, checked before it is wrapped).
    Parsed(super::geometry::Shapes),
}

/// A `geometries` member: an array of geometries, or something else by its kind.
#[derive(Clone, Debug)]
pub(crate) enum GeomList {
    Array(Vec<RawGeom>),
    Other(&'static str),
}

pub(crate) struct GeomSeed<'a>(pub(crate) St<'a>);

impl<'de> DeserializeSeed<'de> for GeomSeed<'_> {
    type Value = RawGeom;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<RawGeom, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for GeomSeed<'_> {
    type Value = RawGeom;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a geometry")
    }
    fn visit_bool<E>(self, _: bool) -> Result<RawGeom, E> {
        Ok(RawGeom::Other("a boolean"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<RawGeom, E> {
        number::<E>(self.0)?;
        Ok(RawGeom::Other("a number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<RawGeom, E> {
        number::<E>(self.0)?;
        Ok(RawGeom::Other("a number"))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawGeom, E> {
        if !v.is_finite() {
            return Ok(RawGeom::Other(OVERFLOW_KIND));
        }
        number::<E>(self.0)?;
        Ok(RawGeom::Other("a number"))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawGeom, E> {
        string::<E>(self.0, v)?;
        Ok(RawGeom::Other(if overflow_kind(v).is_some() {
            OVERFLOW_KIND
        } else {
            "a string"
        }))
    }
    fn visit_unit<E>(self) -> Result<RawGeom, E> {
        Ok(RawGeom::Null)
    }
    fn visit_none<E>(self) -> Result<RawGeom, E> {
        Ok(RawGeom::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawGeom, A::Error> {
        Capped {
            st: self.0,
            keep: false,
        }
        .visit_seq(seq)?;
        Ok(RawGeom::Other("an array"))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawGeom, A::Error> {
        let st = self.0;
        let mut g = GeomObj::default();
        members(st, &mut map, |key, map| {
            match key {
                "type" => g.ty = Some(map.next_value_seed(Capped { st, keep: true })?),
                "coordinates" => {
                    let mut out = Vec::new();
                    map.next_value_seed(CoordsSeed { st, out: &mut out })?;
                    g.coordinates = Some(Coords(out));
                }
                "geometries" => g.geometries = Some(map.next_value_seed(GeomListSeed(st))?),
                _ => {
                    map.next_value_seed(Capped { st, keep: false })?;
                }
            }
            Ok(())
        })?;
        Ok(RawGeom::Object(g))
    }
}

pub(crate) struct GeomListSeed<'a>(pub(crate) St<'a>);

impl<'de> DeserializeSeed<'de> for GeomListSeed<'_> {
    type Value = GeomList;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<GeomList, D::Error> {
        d.deserialize_any(self)
    }
}

macro_rules! other_kind {
    ($t:ty, $wrap:path) => {
        fn visit_bool<E>(self, _: bool) -> Result<$t, E> {
            Ok($wrap("a boolean"))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<$t, E> {
            number::<E>(self.0)?;
            Ok($wrap("a number"))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<$t, E> {
            number::<E>(self.0)?;
            Ok($wrap("a number"))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<$t, E> {
            if !v.is_finite() {
                return Ok($wrap(OVERFLOW_KIND));
            }
            number::<E>(self.0)?;
            Ok($wrap("a number"))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<$t, E> {
            string::<E>(self.0, v)?;
            Ok($wrap(if overflow_kind(v).is_some() {
                OVERFLOW_KIND
            } else {
                "a string"
            }))
        }
        fn visit_unit<E>(self) -> Result<$t, E> {
            Ok($wrap("null"))
        }
        fn visit_none<E>(self) -> Result<$t, E> {
            Ok($wrap("null"))
        }
    };
}

impl<'de> Visitor<'de> for GeomListSeed<'_> {
    type Value = GeomList;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("geometries")
    }
    other_kind!(GeomList, GeomList::Other);
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<GeomList, A::Error> {
        let st = self.0;
        let mut out = Vec::new();
        elements(st, &mut seq, |seq| {
            match seq.next_element_seed(GeomSeed(st))? {
                Some(g) => {
                    out.push(g);
                    Ok(true)
                }
                None => Ok(false),
            }
        })?;
        Ok(GeomList::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<GeomList, A::Error> {
        Capped {
            st: self.0,
            keep: false,
        }
        .visit_map(map)?;
        Ok(GeomList::Other("an object"))
    }
}

/// A feature object's members that matter.
#[derive(Clone, Debug, Default)]
pub(crate) struct RawFeature {
    pub(crate) ty: Option<Value>,
    pub(crate) id: Option<Value>,
    pub(crate) properties: Option<Value>,
    pub(crate) geometry: Option<RawGeom>,
}

/// One element of a `features` array.
#[derive(Clone, Debug)]
pub(crate) enum RawElement {
    Feature(RawFeature),
    /// Not an object: its kind.
    Other(&'static str),
}

pub(crate) struct ElementSeed<'a>(pub(crate) St<'a>);

impl<'de> DeserializeSeed<'de> for ElementSeed<'_> {
    type Value = RawElement;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<RawElement, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ElementSeed<'_> {
    type Value = RawElement;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a feature")
    }
    other_kind!(RawElement, RawElement::Other);
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawElement, A::Error> {
        Capped {
            st: self.0,
            keep: false,
        }
        .visit_seq(seq)?;
        Ok(RawElement::Other("an array"))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawElement, A::Error> {
        let st = self.0;
        let mut f = RawFeature::default();
        members(st, &mut map, |key, map| {
            match key {
                "type" => f.ty = Some(map.next_value_seed(Capped { st, keep: true })?),
                "id" => f.id = Some(map.next_value_seed(Capped { st, keep: true })?),
                "properties" => {
                    f.properties = Some(map.next_value_seed(Capped { st, keep: true })?)
                }
                "geometry" => f.geometry = Some(map.next_value_seed(GeomSeed(st))?),
                _ => {
                    map.next_value_seed(Capped { st, keep: false })?;
                }
            }
            Ok(())
        })?;
        Ok(RawElement::Feature(f))
    }
}

/// What one value of the reader is read as. Each is a `Deserialize` reading [`STATE`], so
/// serde_json's stream deserializer (which says where a value ended) can read it.
pub(crate) struct KeyT(pub(crate) String);
pub(crate) struct ValueT(pub(crate) Value);
pub(crate) struct GeomT(pub(crate) RawGeom);
pub(crate) struct CoordsT(pub(crate) Coords);
pub(crate) struct GeomListT(pub(crate) GeomList);
pub(crate) struct ElementT(pub(crate) RawElement);

impl<'de> de::Deserialize<'de> for KeyT {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(KeyT(Cow::<'de, str>::deserialize(d)?.into_owned()))
    }
}
impl<'de> de::Deserialize<'de> for ValueT {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        STATE.with(|st| Capped { st, keep: true }.deserialize(d).map(ValueT))
    }
}
impl<'de> de::Deserialize<'de> for GeomT {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        STATE.with(|st| GeomSeed(st).deserialize(d).map(GeomT))
    }
}
impl<'de> de::Deserialize<'de> for CoordsT {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        STATE.with(|st| {
            let mut out = Vec::new();
            CoordsSeed { st, out: &mut out }.deserialize(d)?;
            Ok(CoordsT(Coords(out)))
        })
    }
}
impl<'de> de::Deserialize<'de> for GeomListT {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        STATE.with(|st| GeomListSeed(st).deserialize(d).map(GeomListT))
    }
}
impl<'de> de::Deserialize<'de> for ElementT {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        STATE.with(|st| ElementSeed(st).deserialize(d).map(ElementT))
    }
}

/// The kind of a root value that is not an object (read only for its kind).
pub(crate) struct KindT(pub(crate) &'static str);
impl<'de> de::Deserialize<'de> for KindT {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        STATE.with(|st| skip_kind(st, d).map(KindT))
    }
}
