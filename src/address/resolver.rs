//! The resolver: a hierarchy and its dictionary, and the steps of one
//! resolution (matches, readings, villages, the decision) on buffers kept
//! per thread.

use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

use crate::address::dictionary::{AddressResolverBuilder, Dictionary, Entry, Pat};
use crate::address::read::Scratch;
use crate::address::types::{OldName, Resolution};
use crate::model::hierarchy::Hierarchy;
use crate::model::unit::Unit;

/// Resolves free-text addresses and place names to units of one
/// [`Hierarchy`]; see the [module docs](crate::address) for the algorithm.
///
/// Get it from [`Hierarchy::addresses`], which builds the dictionary once
/// per hierarchy and keeps it; the resolver is a cheap handle (a reference
/// and an `Arc`), `Send + Sync`, and resolving takes `&self`.
///
/// # Examples
///
/// ```
/// let addresses = xzqh::china().addresses()?;
/// let r = addresses.resolve("新疆伊犁塔城地区塔城市喀拉哈巴克乡");
/// assert_eq!(r.unit().unwrap().code(), "654201200");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct AddressResolver<'h> {
    pub(super) h: &'h Hierarchy,
    pub(super) names: Arc<Dictionary>,
}

impl fmt::Debug for AddressResolver<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AddressResolver")
            .field("hierarchy", self.h)
            .field("patterns", &self.names.patterns)
            .field("memory", &self.names.ac.heap_bytes())
            .field(
                "village_names",
                &self.names.deep.as_ref().map_or(0, |d| d.chars.len()),
            )
            .field("old_names", &self.names.old.len())
            .finish()
    }
}

impl<'h> AddressResolver<'h> {
    /// A builder, to add old names to the profile's before building: a
    /// resolver of its own, which does not change
    /// [`Hierarchy::addresses`].
    ///
    /// # Examples
    ///
    /// ```
    /// let h = xzqh::china();
    /// let addresses = xzqh::address::AddressResolver::builder(h).build()?;
    /// assert_eq!(addresses.old_names().len(), h.addresses()?.old_names().len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder(hierarchy: &'h Hierarchy) -> AddressResolverBuilder<'h> {
        AddressResolverBuilder::new(hierarchy)
    }

    /// The hierarchy this resolver reads into.
    ///
    /// # Examples
    ///
    /// ```
    /// let addresses = xzqh::china().addresses()?;
    /// assert_eq!(addresses.hierarchy().root().name(), "中华人民共和国");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn hierarchy(&self) -> &'h Hierarchy {
        self.h
    }

    /// The old names the resolver reads, in order
    /// ([`Form::Old`](crate::address::Form::Old) indexes them): the
    /// profile's, then those given to the builder.
    ///
    /// # Examples
    ///
    /// ```
    /// let addresses = xzqh::china().addresses()?;
    /// assert!(addresses.old_names().iter().any(|o| o.name == "莱芜市"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn old_names(&self) -> &[OldName] {
        &self.names.old
    }

    /// The pattern's entries: those that may start a reading anywhere, then
    /// the rest (see [`split`](Self::split)).
    pub(super) fn entries<'a>(&'a self, pat: &'a Pat) -> &'a [Entry] {
        match pat.count {
            1 => std::slice::from_ref(&pat.entry),
            n => &self.names.entries[pat.entry.unit as usize..][..n as usize],
        }
    }

    /// The pattern's entries that may start a reading anywhere, and the rest.
    pub(super) fn split<'a>(&'a self, pat: &'a Pat) -> (&'a [Entry], &'a [Entry]) {
        self.entries(pat).split_at(pat.starters() as usize)
    }

    /// Whether the pattern's name denotes `unit`.
    pub(super) fn denotes(&self, pat: &Pat, unit: u32) -> bool {
        let (a, b) = self.split(pat);
        a.binary_search_by_key(&unit, |e| e.unit).is_ok()
            || b.binary_search_by_key(&unit, |e| e.unit).is_ok()
    }

    /// Resolves `text` to the deepest unit it names (see the
    /// [module docs](crate::address) for how).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::address::Outcome;
    /// let addresses = xzqh::china().addresses()?;
    /// let r = addresses.resolve("长春朝阳区");
    /// assert_eq!(r.unit().unwrap().code(), "220104");
    /// assert_eq!(addresses.resolve("").outcome(), &Outcome::NotFound);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve<'t>(&self, text: &'t str) -> Resolution<'t>
    where
        'h: 't,
    {
        thread_local! {
            static SCRATCH: RefCell<Scratch> = RefCell::default();
        }
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.resolve_in(text, &mut scratch),
            Err(_) => self.resolve_in(text, &mut Scratch::default()),
        })
    }

    /// Resolves many texts, in order, on up to `threads` threads (`0`: as
    /// many as the machine has; `1`: this thread). Each thread keeps its
    /// own buffers; the texts are split into one contiguous run per thread.
    ///
    /// # Examples
    ///
    /// ```
    /// let addresses = xzqh::china().addresses()?;
    /// let texts = ["深圳南山区粤海街道", "北京朝阳区", "朝阳区", "12号楼"];
    /// let rs = addresses.resolve_many(&texts, 2);
    /// let units: Vec<_> = rs.iter().map(|r| r.unit().map(|u| u.code())).collect();
    /// assert_eq!(units, [Some("440305007"), Some("110105"), None, None]);
    /// assert_eq!(rs[2].candidates().len(), 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve_many<'t, S>(&self, texts: &'t [S], threads: usize) -> Vec<Resolution<'t>>
    where
        'h: 't,
        S: AsRef<str> + Sync,
    {
        let threads = match threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
        .min(texts.len().max(1));
        if threads <= 1 {
            return texts.iter().map(|t| self.resolve(t.as_ref())).collect();
        }
        let run = texts.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let parts: Vec<_> = texts
                .chunks(run)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|t| self.resolve(t.as_ref()))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            let mut out = Vec::with_capacity(texts.len());
            for p in parts {
                // A resolution does not panic; were a thread to, its
                // panic goes on here.
                out.extend(p.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
            }
            out
        })
    }

    /// The most bytes of a text that are read (4 KiB, about 1,300 Chinese
    /// characters): an address is far shorter, and time and memory grow
    /// with the length read (memory about twenty bytes a byte, for the
    /// characters, matches and readings). A longer text is read up to the
    /// last character that fits, and its resolution says so
    /// ([`Resolution::is_truncated`]); the rest is in the remainder.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(xzqh::address::AddressResolver::MAX_TEXT_BYTES, 4096);
    /// ```
    pub const MAX_TEXT_BYTES: usize = 4 * 1024;

    pub(super) fn resolve_in<'t>(&self, full: &'t str, sc: &mut Scratch) -> Resolution<'t>
    where
        'h: 't,
    {
        if full.len() > Self::MAX_TEXT_BYTES {
            let mut cut = Self::MAX_TEXT_BYTES;
            while !full.is_char_boundary(cut) {
                cut -= 1;
            }
            let mut r = self.resolve_in(&full[..cut], sc);
            r.text = full;
            r.rest = r.rest.start..full.len();
            return r;
        }
        let text = full;
        sc.clear();
        let first = self.matches(text, sc);
        // Most addresses name one unit after another: one reading, the best
        // beyond doubt, and no name it contradicts. Villages are read after
        // the readings, so with them every text goes the long way.
        let r = if self.names.deep.is_none() && self.single_chain(first, sc) {
            self.chained(text, &sc.nodes)
        } else {
            sc.link();
            self.readings(text, first, sc);
            if let Some(deep) = &self.names.deep {
                self.extend_deep(deep, text, first, &mut sc.nodes);
            }
            self.finish(text, &sc.nodes, &sc.explicit)
        };
        sc.trim();
        r
    }

    /// The unit with id `id`, which the dictionary took from the hierarchy.
    pub(super) fn unit(&self, id: u32) -> Unit<'h> {
        Unit { h: self.h, id }
    }

    /// Whether two resolvers share one dictionary.
    #[cfg(test)]
    pub(crate) fn shares_dictionary(&self, other: &AddressResolver<'_>) -> bool {
        Arc::ptr_eq(&self.names, &other.names)
    }
}
