//! `open_enum!`: the one implementation behind every enum of the API.
//!
//! An open enum has a variant per value this version knows and
//! `Unknown(String)` for any other, which is sent back exactly as
//! received. A raw string never converts silently: callers name a
//! variant, or opt in with `from_raw`/`parse`, so a typo does not compile.

/// Implements an open enum declared with its known variants and
/// `Unknown(String)`: `open_enum!(Name { Variant = "wire" | "alias", .. });`;
/// an alias is read as its variant and never sent.
#[doc(hidden)]
#[macro_export]
macro_rules! __open_enum {
    ($name:ident { $($variant:ident = $wire:literal $(| $alias:literal)*),* $(,)? }) => {
        impl $name {
            /// Every value this version of the SDK knows, as sent on the wire.
            pub const KNOWN: &'static [&'static str] = &[$($wire),*];

            /// The value as it appears on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(other) => other.as_str(),
                }
            }

            /// The value for a wire string: its variant when this version
            /// knows it, [`Unknown`](Self::Unknown) otherwise. For values
            /// that come from outside the program; in code, name the variant.
            #[inline]
            pub fn from_raw(value: impl Into<String>) -> Self {
                let value = value.into();
                match value.as_str() {
                    $($wire $(| $alias)* => Self::$variant,)*
                    _ => Self::Unknown(value),
                }
            }

            /// The value for text naming one this version knows (its wire
            /// spelling or an alias), or an error listing them all: for
            /// text from a user or a config file, where a typo should be
            /// reported rather than sent. [`from_raw`](Self::from_raw) is
            /// the lenient twin, for values the API may have added since.
            pub fn from_known(value: &str) -> Result<Self, $crate::Error> {
                match <Self as $crate::de::FromWire>::from_wire_str(value) {
                    Self::Unknown(_) => Err($crate::Error::unknown_enum_value(stringify!($name), value, Self::KNOWN)),
                    known => Ok(known),
                }
            }

            /// Whether this version of the SDK knows the value.
            #[inline]
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        /// Empty: [`Unknown`](Self::Unknown) holding `""`, what a value the
        /// API left out or sent as `null` reads as.
        impl Default for $name {
            #[inline]
            fn default() -> Self {
                Self::Unknown(String::new())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            #[inline]
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::from_raw(s))
            }
        }

        impl std::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::de::open_enum(deserializer)
            }
        }

        impl $crate::de::FromWire for $name {
            #[inline]
            fn from_wire_str(value: &str) -> Self {
                match value {
                    $($wire $(| $alias)* => Self::$variant,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }

            #[inline]
            fn from_wire_string(value: String) -> Self {
                Self::from_raw(value)
            }
        }
    };
}
