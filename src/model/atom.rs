//! [`Atom`]: a shared, immutable string for the ids that a million figures repeat
//! (region codes, indicator ids, release dates). A store of 1,3 million figures holds
//! about 30.000 distinct ids; as `String`s every figure carried three heap copies, as
//! atoms it carries three pointers, and cloning one (the index keys every series by
//! region) is a reference count instead of an allocation. [`Interner`] hands out one
//! atom per distinct text while a file is read.

use rustc_hash::FxHashSet;
use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// A shared string; compares, hashes and orders as its text, so maps keyed by atoms are
/// looked up with a `&str`.
#[derive(Clone, Default, Eq, PartialOrd, Ord)]
pub struct Atom(Arc<str>);

/// Hashes as its text (what `Borrow<str>` requires; equal atoms have equal text).
impl std::hash::Hash for Atom {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (*self.0).hash(state)
    }
}

/// Two atoms of one interner are equal when they are the same allocation: the index
/// compares millions of keys, and the text is compared only when the pointers differ.
impl PartialEq for Atom {
    fn eq(&self, other: &Atom) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

impl Atom {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Atom {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Atom {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Atom {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl From<&str> for Atom {
    fn from(s: &str) -> Atom {
        Atom(Arc::from(s))
    }
}

impl From<String> for Atom {
    fn from(s: String) -> Atom {
        Atom(Arc::from(s))
    }
}

impl From<&String> for Atom {
    fn from(s: &String) -> Atom {
        Atom(Arc::from(s.as_str()))
    }
}

impl From<&Atom> for String {
    fn from(a: &Atom) -> String {
        a.0.to_string()
    }
}

impl PartialEq<str> for Atom {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Atom {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Atom {
    fn eq(&self, other: &String) -> bool {
        &*self.0 == other.as_str()
    }
}

impl PartialEq<Atom> for str {
    fn eq(&self, other: &Atom) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Atom> for &str {
    fn eq(&self, other: &Atom) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<Atom> for String {
    fn eq(&self, other: &Atom) -> bool {
        self.as_str() == &*other.0
    }
}

impl serde::Serialize for Atom {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// One [`Atom`] per distinct text, for reading a file whose rows repeat a few thousand
/// ids; a run of rows with the same id (the usual order) costs one comparison each.
#[derive(Debug, Default)]
pub struct Interner {
    atoms: FxHashSet<Atom>,
    last: Option<Atom>,
}

impl Interner {
    /// The atom for `text`, made once.
    pub fn get(&mut self, text: &str) -> Atom {
        if let Some(last) = &self.last {
            if last.as_str() == text {
                return last.clone();
            }
        }
        let atom = match self.atoms.get(text) {
            Some(a) => a.clone(),
            None => {
                let a = Atom::from(text);
                self.atoms.insert(a.clone());
                a
            }
        };
        self.last = Some(atom.clone());
        atom
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn an_atom_is_its_text_for_maps_comparisons_and_printing() {
        let a = Atom::from("GM0344");
        let mut m: HashMap<Atom, i32> = HashMap::new();
        m.insert(a.clone(), 1);
        assert_eq!(m.get("GM0344"), Some(&1), "looked up by &str");
        assert_eq!(a, "GM0344");
        assert_eq!("GM0344", a);
        let text = String::from("GM0344");
        assert_eq!(a, text);
        assert_eq!(format!("{a} {a:?}"), "GM0344 \"GM0344\"");
        assert_eq!(Atom::from("GM0014").cmp(&a), std::cmp::Ordering::Less, "ordered as text");
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"GM0344\"");
    }

    #[test]
    fn the_interner_shares_one_atom_per_text() {
        let mut i = Interner::default();
        let a = i.get("inwoners");
        let b = i.get("woz_waarde");
        let c = i.get("inwoners");
        assert!(Arc::ptr_eq(&a.0, &c.0), "the same allocation, not an equal copy");
        assert!(!Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(i.atoms.len(), 2);
    }
}
