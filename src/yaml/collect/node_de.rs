//! The tree of positioned nodes as a serde `Deserializer`: the format's own types read from
//! it with their own visitors, each error carrying the node it is about.

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess};

use super::{Cause, Error, Kind, Node, Path};

/// A node of the tree as a serde `Deserializer`, with the path that names it in messages.
pub(super) struct NodeDe<'a> {
    pub(super) node: &'a Node,
    pub(super) path: Path<'a>,
}

/// A stand-in's values, in the order tried: a date suits dates, ids and text; the others suit
/// numbers and periods.
fn stand_in<'de, V: de::Visitor<'de>>(n: usize, visitor: V) -> Result<V::Value, Error> {
    match n {
        0 => visitor.visit_str("2000-01-01"),
        1 => visitor.visit_u64(1),
        2 => visitor.visit_str("1d"),
        _ => visitor.visit_str("x"),
    }
}

/// A plain scalar read as YAML 1.2's core schema reads it, as serde_yaml does.
fn plain<'de, V: de::Visitor<'de>>(v: &str, visitor: V) -> Result<V::Value, Error> {
    if v.is_empty() || matches!(v, "~" | "null" | "Null" | "NULL") {
        return visitor.visit_unit();
    }
    match v {
        "true" | "True" | "TRUE" => return visitor.visit_bool(true),
        "false" | "False" | "FALSE" => return visitor.visit_bool(false),
        _ => {}
    }
    let leading_zero = {
        let d = v.strip_prefix(['-', '+']).unwrap_or(v);
        d.len() > 1 && d.starts_with('0') && d[1..].bytes().all(|b| b.is_ascii_digit())
    };
    if !leading_zero && !v.starts_with("+-") && !v.starts_with("++") {
        let unsigned = v.strip_prefix('+').unwrap_or(v);
        if let Ok(n) = unsigned.parse::<u64>() {
            return visitor.visit_u64(n);
        }
        if let Ok(n) = v.parse::<i64>() {
            return visitor.visit_i64(n);
        }
        if let Ok(n) = unsigned.parse::<u128>() {
            return visitor.visit_u128(n);
        }
        if let Ok(n) = v.parse::<i128>() {
            return visitor.visit_i128(n);
        }
        match unsigned {
            ".inf" | ".Inf" | ".INF" => return visitor.visit_f64(f64::INFINITY),
            ".nan" | ".NaN" | ".NAN" => return visitor.visit_f64(f64::NAN),
            _ => {}
        }
        if let "-.inf" | "-.Inf" | "-.INF" = v {
            return visitor.visit_f64(f64::NEG_INFINITY);
        }
        if let Ok(f) = unsigned.parse::<f64>() {
            if f.is_finite() {
                return visitor.visit_f64(f);
            }
        }
    }
    visitor.visit_str(v)
}

impl<'de, 'a> Deserializer<'de> for NodeDe<'a> {
    type Error = Error;

    fn deserialize_any<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let result = match &self.node.kind {
            Kind::Scalar { value, plain: true } => plain(value, visitor),
            Kind::Scalar { value, .. } => visitor.visit_str(value),
            Kind::StandIn(n) => stand_in(*n, visitor),
            Kind::Seq(items) => visitor.visit_seq(Items {
                items: items.iter(),
                index: 0,
                path: &self.path,
            }),
            Kind::Map(pairs) => {
                let mut access = Pairs {
                    pairs: pairs.iter(),
                    value: None,
                    last_key: None,
                    path: &self.path,
                };
                let result = visitor.visit_map(&mut access);
                return result.map_err(|e| {
                    if e.node.is_some() {
                        return e;
                    }
                    if let Some(field) = e
                        .message
                        .strip_prefix("missing field `")
                        .and_then(|r| r.split('`').next())
                    {
                        let field = field.to_owned();
                        return e.placed(self.node, &self.path, Cause::Missing(field));
                    }
                    match access.last_key {
                        Some(key) if e.message.starts_with("duplicate field") => {
                            e.placed(key, &self.path, Cause::Key)
                        }
                        _ => e.placed(self.node, &self.path, Cause::Value),
                    }
                });
            }
        };
        result.map_err(|e| e.placed(self.node, &self.path, Cause::Value))
    }

    fn deserialize_seq<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            Kind::StandIn(_) => visitor
                .visit_seq(de::value::SeqDeserializer::new(std::iter::empty::<()>()))
                .map_err(|e: Error| e.placed(self.node, &self.path, Cause::Value)),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_map<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            Kind::StandIn(_) => Err(<Error as de::Error>::custom("a mapping").placed(
                self.node,
                &self.path,
                Cause::WantsMap,
            )),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_struct<V: de::Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_str<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            Kind::Scalar { value, .. } => visitor
                .visit_str(value)
                .map_err(|e: Error| e.placed(self.node, &self.path, Cause::Value)),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let none = match &self.node.kind {
            Kind::Scalar { value, plain: true } => {
                value.is_empty() || matches!(value.as_str(), "~" | "null" | "Null" | "NULL")
            }
            Kind::StandIn(_) => true,
            _ => false,
        };
        if none {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_enum<V: de::Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let result = match &self.node.kind {
            Kind::Scalar { value, .. } => {
                visitor.visit_enum(IntoDeserializer::<Error>::into_deserializer(value.as_str()))
            }
            Kind::StandIn(_) => match variants.first() {
                Some(v) => visitor.visit_enum(IntoDeserializer::<Error>::into_deserializer(*v)),
                None => Err(de::Error::custom("no variant")),
            },
            _ => return self.deserialize_any(visitor),
        };
        result.map_err(|e| e.placed(self.node, &self.path, Cause::Value))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct newtype_struct tuple tuple_struct ignored_any
    }
}

struct Items<'a, 'p> {
    items: std::slice::Iter<'a, Node>,
    index: usize,
    path: &'p Path<'p>,
}

impl<'de> SeqAccess<'de> for Items<'_, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(node) = self.items.next() else {
            return Ok(None);
        };
        let path = Path::Seq {
            parent: self.path,
            index: self.index,
        };
        self.index += 1;
        seed.deserialize(NodeDe { node, path }).map(Some)
    }
}

struct Pairs<'a, 'p> {
    pairs: std::slice::Iter<'a, (Node, Node)>,
    value: Option<(&'a Node, &'a Node)>,
    last_key: Option<&'a Node>,
    path: &'p Path<'p>,
}

impl<'de, 'a> MapAccess<'de> for &mut Pairs<'a, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.pairs.next() else {
            return Ok(None);
        };
        self.value = Some((key, value));
        self.last_key = Some(key);
        // Keys are placed with the path of their mapping, as serde_yaml places them.
        seed.deserialize(NodeDe {
            node: key,
            path: *self.path,
        })
        .map(Some)
        .map_err(|mut e| {
            if e.node == Some(key.id) {
                e.cause = Cause::Key;
            }
            e
        })
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, value)) = self.value.take() else {
            return Err(de::Error::custom("a value without a key"));
        };
        let path = match &key.kind {
            Kind::Scalar { value: k, .. } => Path::Map {
                parent: self.path,
                key: k,
            },
            _ => Path::Unknown { parent: self.path },
        };
        seed.deserialize(NodeDe { node: value, path })
    }
}
