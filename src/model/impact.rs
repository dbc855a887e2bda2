//! How many an incident affected: the potential and confirmed figures, each one figure or a
//! list of dated revisions, their counts per unit and the parts they are made of.

use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::{Count, Id};
use crate::date::Day;
use crate::text::Text;

/// How many were affected: what was first feared, and what was confirmed.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Impact {
    /// The figures of those possibly affected: one figure, or a list of dated revisions (the
    /// latest published by a day is the one shown on it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub potential: Option<Figures>,
    /// The figures of those confirmed affected: one figure, or a list of dated revisions. Not
    /// more than the potential ones (with revisions, a larger confirmed count is a warning).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<Figures>,
    /// What this incident's counts are of, as the views should call them, per unit, e.g.
    /// `accounts: {en: mail accounts, ja: メールアカウント}`. A unit without a label is shown by
    /// its name (`mail_bodies`: mail bodies; contracts and accounts in the view's language).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<UnitMap<Text>>,
}

/// One impact figure, or a list of its dated revisions.
#[derive(Debug, Clone, PartialEq)]
pub enum Figures {
    One(ImpactFigure),
    Revisions(Vec<ImpactFigure>),
}

impl Figures {
    /// Every figure given, as written.
    pub fn all(&self) -> &[ImpactFigure] {
        match self {
            Figures::One(f) => std::slice::from_ref(f),
            Figures::Revisions(list) => list,
        }
    }

    pub fn is_revisions(&self) -> bool {
        matches!(self, Figures::Revisions(_))
    }
}

const FIGURES: &str = "an impact figure (a map with `as_of`) or a list of dated revisions of it";

struct FiguresVisitor;

impl<'de> Visitor<'de> for FiguresVisitor {
    type Value = Figures;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(FIGURES)
    }
    // Each figure is read straight from the parser (not through an untagged buffer), so that an
    // error inside one keeps its line and column.
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Figures, A::Error> {
        ImpactFigure::deserialize(de::value::MapAccessDeserializer::new(map)).map(Figures::One)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Figures, A::Error> {
        let mut list = Vec::new();
        while let Some(f) = seq.next_element::<ImpactFigure>()? {
            list.push(f);
        }
        if list.is_empty() {
            return Err(de::Error::custom(
                "expected at least one revision, found an empty list: leave the key out if nothing was published",
            ));
        }
        Ok(Figures::Revisions(list))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Figures, E> {
        Err(E::custom(format!(
            "expected {FIGURES}, found nothing: leave the key out if nothing was published"
        )))
    }
}

impl<'de> Deserialize<'de> for Figures {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FiguresVisitor)
    }
}

impl Serialize for Figures {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Figures::One(f) => f.serialize(s),
            Figures::Revisions(list) => list.serialize(s),
        }
    }
}

/// As `FiguresVisitor` reads it: one figure, or a non-empty list of them.
impl JsonSchema for Figures {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Figures".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let figure = generator.subschema_for::<ImpactFigure>();
        schemars::json_schema!({
            "description": "One impact figure, or a list of its dated revisions (each with its own `as_of`, no two on the same day; the latest published by a day is shown on it, the earlier ones as history).",
            "oneOf": [
                figure,
                {
                    "type": "array",
                    "description": "Dated revisions of the figure, in any order.",
                    "minItems": 1,
                    "items": figure,
                },
            ],
        })
    }
}

/// Counts affected as published on a day. A count left out is unknown, not zero.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImpactFigure {
    /// Customer contracts (organisations) affected: shorthand for `counts: {contracts: N}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contracts: Option<Count>,
    /// Accounts (e.g. mail accounts) affected: shorthand for `counts: {accounts: N}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<Count>,
    /// Counts per unit, e.g. `{individuals: 12000, records: 48000}`. Units are snake_case names;
    /// `impact.units` gives them words. Leave a unit out if unknown.
    #[serde(default, skip_serializing_if = "UnitMap::is_empty")]
    pub counts: UnitMap<Count>,
    /// The counts are maxima ("up to", 最大), as the source gives them: shown as such.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub up_to: bool,
    /// The kinds of data affected, in the source's words, e.g. `[names, mail addresses]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Text>,
    /// The parts the figures are made of, e.g. per kind of data; shown under the figure.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breakdown: Vec<ImpactPart>,
    /// The day these figures were published; views show them from that day on.
    pub as_of: Day,
    /// What the figures cover: which data, which customers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Text>,
    /// Ids of the sources that publish these figures.
    #[serde(default)]
    pub sources: Vec<Id>,
    /// The day the figures were first made known, when later than `as_of` (e.g. figures
    /// "as of" a day but published after it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported: Option<Day>,
}

/// A part of an impact figure: the counts of one kind of data or of one group affected.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImpactPart {
    /// Customer contracts in this part: shorthand for `counts: {contracts: N}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contracts: Option<Count>,
    /// Accounts in this part: shorthand for `counts: {accounts: N}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<Count>,
    /// Counts per unit in this part, as in the figure.
    #[serde(default, skip_serializing_if = "UnitMap::is_empty")]
    pub counts: UnitMap<Count>,
    /// The kinds of data in this part.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Text>,
    /// What this part covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Text>,
}

/// The counts of a figure or of a part, the shorthand keys merged into `counts`.
pub trait Counted {
    fn shorthand(&self) -> [(&'static str, Option<Count>); 2];
    fn unit_counts(&self) -> &UnitMap<Count>;

    /// Each unit with its count: the shorthand units first, then `counts` in file order.
    fn all_counts(&self) -> Vec<(&str, Count)> {
        self.shorthand()
            .into_iter()
            .filter_map(|(u, c)| c.map(|c| (u, c)))
            .chain(self.unit_counts().iter().map(|(u, c)| (u.as_str(), *c)))
            .collect()
    }

    /// The count of one unit, from the shorthand or `counts`.
    fn count_of(&self, unit: &str) -> Option<Count> {
        self.shorthand()
            .into_iter()
            .find_map(|(u, c)| if u == unit { c } else { None })
            .or_else(|| self.unit_counts().get(unit).copied())
    }
}

impl Counted for ImpactFigure {
    fn shorthand(&self) -> [(&'static str, Option<Count>); 2] {
        [("contracts", self.contracts), ("accounts", self.accounts)]
    }
    fn unit_counts(&self) -> &UnitMap<Count> {
        &self.counts
    }
}

impl Counted for ImpactPart {
    fn shorthand(&self) -> [(&'static str, Option<Count>); 2] {
        [("contracts", self.contracts), ("accounts", self.accounts)]
    }
    fn unit_counts(&self) -> &UnitMap<Count> {
        &self.counts
    }
}

/// What a count counts: a snake_case name such as `individuals` or `mail_bodies`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Unit(pub String);

impl Unit {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A unit name as the schema and `UnitVisitor` accept it.
const UNIT_PATTERN: &str = "^[a-z][a-z0-9]*(_[a-z0-9]+)*$";

fn is_unit(v: &str) -> bool {
    v.starts_with(|c: char| c.is_ascii_lowercase())
        && v.split('_').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

struct UnitVisitor;

impl Visitor<'_> for UnitVisitor {
    type Value = Unit;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a unit name in snake_case, e.g. individuals or mail_bodies")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Unit, E> {
        if is_unit(v) {
            Ok(Unit(v.to_owned()))
        } else if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
            // `{individuals: 1,200}` is two entries in YAML: `individuals: 1` and `200`.
            Err(E::custom(format!(
                "expected a unit name, found the number `{v}`: inside {{...}} a comma separates entries, so write counts without separators (1200, not 1,200)"
            )))
        } else {
            Err(E::custom(format!(
                "unit `{v}` is not a snake_case name: write lower-case letters, digits and single underscores, e.g. mail_bodies"
            )))
        }
    }
}

impl<'de> Deserialize<'de> for Unit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(UnitVisitor)
    }
}

/// A map from unit to a value, in file order; a unit given twice is an error (a plain map
/// would silently keep the last). Looked up by an index, so that a figure with many units
/// costs no more than its length to read, check and show.
#[derive(Debug, Clone)]
pub struct UnitMap<T> {
    pairs: Vec<(Unit, T)>,
    index: foldhash::HashMap<Unit, usize>,
}

impl<T> Default for UnitMap<T> {
    fn default() -> Self {
        UnitMap {
            pairs: Vec::new(),
            index: foldhash::HashMap::default(),
        }
    }
}

impl<T: PartialEq> PartialEq for UnitMap<T> {
    fn eq(&self, other: &Self) -> bool {
        self.pairs == other.pairs
    }
}

impl<T> UnitMap<T> {
    /// The map of `pairs`, or the first unit given twice.
    pub fn from_pairs(pairs: Vec<(Unit, T)>) -> Result<Self, Unit> {
        let mut map = UnitMap::default();
        for (unit, value) in pairs {
            map.insert(unit, value)?;
        }
        Ok(map)
    }

    /// Adds `unit` at the end, unless it is there already (then it is handed back).
    fn insert(&mut self, unit: Unit, value: T) -> Result<(), Unit> {
        if self.index.contains_key(&unit) {
            return Err(unit);
        }
        self.index.insert(unit.clone(), self.pairs.len());
        self.pairs.push((unit, value));
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Unit, &T)> {
        self.pairs.iter().map(|(u, t)| (u, t))
    }

    pub fn get(&self, unit: &str) -> Option<&T> {
        let i = *self.index.get(unit)?;
        self.pairs.get(i).map(|(_, t)| t)
    }
}

impl std::borrow::Borrow<str> for Unit {
    fn borrow(&self) -> &str {
        &self.0
    }
}

struct UnitMapVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for UnitMapVisitor<T> {
    type Value = UnitMap<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map from unit (e.g. individuals) to its value")
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<UnitMap<T>, A::Error> {
        let mut units = UnitMap::default();
        while let Some(unit) = map.next_key::<Unit>()? {
            let value = map.next_value()?;
            if let Err(twice) = units.insert(unit, value) {
                return Err(de::Error::custom(format!(
                    "unit `{}` is given twice in this map",
                    twice.0
                )));
            }
        }
        Ok(units)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for UnitMap<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(UnitMapVisitor(std::marker::PhantomData))
    }
}

impl<T: Serialize> Serialize for UnitMap<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.pairs.len()))?;
        for (u, t) in &self.pairs {
            map.serialize_entry(u, t)?;
        }
        map.end()
    }
}

impl<T: JsonSchema> JsonSchema for UnitMap<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("UnitMap_of_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let value = generator.subschema_for::<T>();
        schemars::json_schema!({
            "description": "A map from unit (a snake_case name such as individuals, records, contracts, accounts, mail_bodies, credentials) to its value.",
            "type": "object",
            "propertyNames": { "pattern": UNIT_PATTERN },
            "additionalProperties": value,
        })
    }
}
