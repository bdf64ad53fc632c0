//! Free-text addresses to units: `广东省深圳市南山区粤海街道科技园社区12号`,
//! `深圳南山粤海街道…`, `黔东南黎平县纪登村…` as hotline operators and
//! citizens type them, resolved to the deepest unit they name, with the
//! byte spans that matched and an honest outcome.
//!
//! ```
//! use xzqh::address::Outcome;
//! let h = xzqh::china();
//! let addresses = h.addresses()?;
//! let r = addresses.resolve("深圳南山区粤海街道科技园路12号");
//! assert_eq!(r.unit().unwrap().code(), "440305007"); // 粤海街道
//! let said: Vec<_> = r.spans().iter().map(|s| s.text).collect();
//! assert_eq!(said, ["深圳", "南山区", "粤海街道"]);
//! assert_eq!(r.remainder(), "科技园路12号");
//! // 朝阳区 is in Beijing and in Changchun: both are listed, none is picked
//! // (after them, the township 朝阳区街道, written short: a weaker reading).
//! let Outcome::Ambiguous(candidates) = addresses.resolve("朝阳区").into_outcome() else {
//!     panic!("two 朝阳区")
//! };
//! let codes: Vec<_> = candidates.iter().map(|c| c.unit.code()).collect();
//! assert_eq!(codes, ["110105", "220104", "231282001"]);
//! assert!(candidates[1].quality > candidates[2].quality);
//! assert_eq!(addresses.resolve("北京朝阳区").unit(), h.by_code("110105"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The resolver comes from [`Hierarchy::addresses`](crate::Hierarchy::addresses),
//! which builds the hierarchy's dictionary of names once and keeps it. The
//! engine knows no country: what it knows of how people write names comes
//! from the hierarchy's [`Profile`](crate::Profile). A hierarchy built
//! without one is read by its full names, as written:
//!
//! ```
//! use std::sync::Arc;
//! use xzqh::{Hierarchy, Role, Schema};
//! let schema = Arc::new(Schema::builder("england").level("country").level("county")
//!     .level("district")
//!     .kind("country", "Country", "country", Role::Government)
//!     .kind("county", "County", "county", Role::Government)
//!     .kind("district", "District", "district", Role::Government).build()?);
//! let h = Hierarchy::builder(schema)
//!     .unit("E", "England", "country", None)
//!     .unit("E10000016", "Kent", "county", Some("E"))
//!     .unit("E07000110", "Maidstone", "district", Some("E10000016"))
//!     .build()?;
//! let r = h.addresses()?.resolve("KENT, maidstone ME14 1XQ");
//! assert_eq!(r.unit().unwrap().code(), "E07000110");
//! assert_eq!(r.remainder(), "ME14 1XQ");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The algorithm
//!
//! **Names.** Every unit except the root is known by its full name, by the
//! short forms its hierarchy's profile writes for it
//! ([`Profile::short_forms`](crate::Profile::short_forms); China's profile:
//! 深圳 for 深圳市, 黔东南 and 黔东南州 for 黔东南苗族侗族自治州, 巍山 and
//! 巍山县 for 巍山彝族回族自治县, 纪登村 for 纪登村村民委员会), and by its
//! *old names* and their short forms: those the profile knows of its units
//! ([`Successions::old_names`](crate::Successions::old_names); China's:
//! 莱芜市 for today's 济南) and any given to the
//! [builder](AddressResolver::builder). One name may denote many units
//! (朝阳区 ×2, 城关镇 ×88). An old name of a unit split in several reads
//! first as the one whose name begins most like it (水城县 as 水城区, a
//! weaker old form of 钟山区, which took a part). A name that repeats its
//! parent's in front (济源市沁园街道) is known without it too, when what is
//! left has a short form of its own (沁园街道, 沁园; not 镇 of 芒市镇).
//!
//! **Matching.** One Aho-Corasick automaton (the `daachorse` crate's
//! double array over characters, standard semantics, overlapping matches)
//! holds every distinct name and form of the units above the profile's
//! [deep rank](crate::Profile::deep_rank) (China: down to township level),
//! about 66,000 patterns for China, and finds all of them in the text in
//! one pass, including those that overlap (济南市中区 holds both 济南市 and
//! 市中区). A transition is one array read, failure links included, and
//! each name's value in the automaton is the units it denotes, so a match
//! costs one more read. Names match ASCII letters in either case. The
//! units at the deep rank or below (China's 620,000 villages), whose names
//! repeat by the hundred (和平村 ×274), are not in the automaton: they are
//! looked up in a hash table, and only inside the subtree of a unit the
//! text already named (see *Deep names*).
//!
//! **Readings.** A reading is a left-to-right sequence of non-overlapping
//! matches, each naming a unit strictly inside the previous one's subtree
//! (one pre-order interval check), levels may be skipped (南山区粤海街道
//! starts at county level, 黔东南黎平县纪登村 skips the township). Readings
//! are built by dynamic programming over the matches in the order of their
//! starts (so every reading that ends before a match is finished when the
//! match is read): each (match, unit) extends the best finished reading
//! whose unit contains the unit, or starts a new reading. The finished
//! readings are kept as the best one per unit, so finding that reading is
//! a look-up of the unit's few ancestors, never a scan of the readings
//! made before. So *parent-child consistency
//! decides, never the order of the data*: in 通州区潞邑街道 only Beijing's
//! 通州区 has a 潞邑街道, so only Beijing's reading covers seven characters.
//!
//! Readings that cannot matter are not made. A reading is made only if it
//! can still cover as many characters as the best one (a lower bound: the
//! longest match that can start a reading, then the best reading made):
//! its characters, plus the rest of the text, plus nothing for a unit with
//! no units below it. This drops the readings that street text would make
//! (建设, 幸福, 人民路 are short forms of townships by the dozen) and
//! short forms at the start that a longer name covers (河北 names eleven
//! townships, but the text says 河北省). And a short form's reading is not
//! made when the name from the same start that is longer by a few
//! characters denotes the same unit and no match starts in between (湖北
//! in 湖北省): that reading covers more and goes on the same ways. None of
//! this changes an answer: the readings left out are never the best, never
//! tied with it, and never lead to it.
//!
//! Most addresses name one unit after another, and then the dynamic
//! programming is not run at all. A reading covers at most as many
//! characters as the most that non-overlapping matches cover, counting
//! only matches some reading could read (one that may start where it
//! stands, or names a unit inside one a match before it names); one
//! interval scheduling over the matches finds that most and counts the
//! sets of matches that reach it. When exactly one set reaches it and
//! exactly one reading goes through all of its matches, that reading
//! covers more than any other: it is the best, and nothing ties with it.
//! Unless it leaves out a name written in full, reads one as another
//! unit's short form or reads a generic name, it is the answer. Any other
//! text (two sets alike: 济南市中区 as 济南市 + 中区 or 济南 + 市中区; a
//! township filed under another county; two addresses) is read by the
//! dynamic programming, which finds the same answer for the texts the
//! short way takes.
//!
//! **Score.** A reading scores, first, the characters it covers, then its
//! *quality*, the sum over its matches of: full name 4; a short form by
//! its [strength](crate::FormStrength): one that keeps a kind word
//! (`Tail`: 黔东南州, 巍山县) 3, a `Major` one (China: of a unit at county
//! level or above) 2, a `Minor` one (China: of a lower unit) 1; an old
//! name 1, an old short form 0;
//! plus 1 when the match follows the reading's previous match with only
//! separators between (or opens the text): names are written together, so
//! 孝昌邹岗花园小区 reads 邹岗 (right after 孝昌) as the township, not 花园;
//! minus 5 for a match that ends inside a longer match of a name that does
//! not denote the same unit (红河 inside 红河州, 黔西 inside 黔西南). So 红河州
//! reads as the prefecture 红河哈尼族彝族自治州 (three characters through
//! 红河州) and not as 红河县 (two, through 红河); 黔西南 as the prefecture,
//! never as 黔西市; 长春朝阳 as Changchun's 朝阳区, not a 朝阳街道 in
//! Changchun (a district's short form outranks a township's). Depth counts
//! only through the text: a deeper reading wins by covering more of it.
//!
//! A reading may start anywhere with a full name, an old name or a `Tail`
//! or `Major` short form; a `Minor` short form (粤海 for 粤海街道) starts a
//! reading only at the beginning of the text, so that everyday words
//! inside street text (门口, 花园) do not turn into townships.
//!
//! **Words that are not names.** The profile says which words make the
//! name before them a street's ([`Profile::street_words`](crate::Profile::street_words);
//! China: 路, 街, 大道, 巷, 村…): a match followed by one is not read (湖州街,
//! 北京路, 黄岩横街路), unless a name starts right there (黄岩路桥区) or a
//! longer kind label of the schema does (湖州街道). Generic names
//! ([`Profile::generic_names`](crate::Profile::generic_names); China:
//! 开发区, 工业园区, 城区, 西区…) only continue a reading under a unit the
//! text names, or open the text before a unit inside them (郊区铜山镇); a
//! generic name alone is no answer.
//!
//! **Scope.** Units of the level just above the profile's deep one (China:
//! townships) start a reading only at the text's start, or in a text that
//! names no unit above them (粤海街道科技园…): elsewhere they are read only
//! inside a unit read before, so a township of another county does not
//! outrank the county written (滑县红旗路社区).
//!
//! **Outcome.** The best reading per unit is kept. If one unit's reading
//! scores strictly best, the text is [`Outcome::Resolved`] to it. If several
//! units tie for the best score, it is [`Outcome::Ambiguous`]: every unit
//! whose reading covers as many characters as the best one is listed as a
//! [`Candidate`], ranked by score, then depth (wider first), then code, each
//! with the spans that make its reading. Nothing is picked by data order.
//! With no match at all the text is [`Outcome::NotFound`].
//!
//! **Never against the text.** A resolved reading is checked against every
//! name the text writes in full (a unit's full name, in no longer name,
//! neither generic nor a street's): if the reading leaves one out — its
//! words are not in the reading's spans, or the reading takes them as
//! another unit's short form — and no unit those words name, in any form,
//! is above or below the answer, the outcome is [`Outcome::Conflict`] with
//! the best reading and the best reading through each such name (or its
//! units alone): 广州市天河区京溪街道 (京溪街道 is filed under 白云区), or two
//! addresses in one text. One exception: when the answer lies in a
//! functional zone ([`Role::Functional`](crate::Role::Functional)) and the
//! name left out is a unit of the zone's level beside it (the county
//! written, 裕华区, beside 石家庄高新区 whose 长江街道 the text names), the
//! answer is the unit written and the zone's reading comes back as
//! [`Resolution::secondary`]. The same when the best reading is of a unit
//! that governs the name left out by a secondary relation and is not above
//! it (新疆生产建设兵团…石河子市: the Corps co-administers the city): the
//! answer is the unit governed. Of the units a name left out denotes, only
//! those nearest the answer count (海北镇 after 唐山市曹妃甸区 is Tangshan's),
//! and a name that shares characters with one the reading reads in full is
//! not written (县开发区 in 滑县开发区银杏大街街道).
//!
//! **Deep names.** When the hierarchy has units at the profile's deep rank
//! (China: villages), every substring (up to 24 characters) of the text
//! that ends in a character some deep name ends in (村, 区, 会, …) is looked
//! up in a hash table of deep names and short forms. A hit extends a
//! reading only if it comes after the reading's last match and names a
//! unit inside the reading's last unit (a binary search over the name's
//! units, which are in pre-order). This is done for the 256 best readings.
//! A deep name also starts a reading of its own at the beginning of the
//! text (纪登村…), and anywhere in a text that names no other unit.
//!
//! China's data has its villages with the `villages` feature; a hierarchy
//! of China's schema built by hand reads them the same way:
//!
//! ```
//! use xzqh::china::ChinaKind::*;
//! let h = xzqh::Hierarchy::builder(xzqh::china::schema())
//!     .profile(xzqh::china::profile())
//!     .unit("0", "中华人民共和国", State, None)
//!     .unit("52", "贵州省", Province, Some("0"))
//!     .unit("5226", "黔东南苗族侗族自治州", AutonomousPrefecture, Some("52"))
//!     .unit("522631", "黎平县", County, Some("5226"))
//!     .unit("522631107", "水口镇", Town, Some("522631"))
//!     .unit("522631107220", "宝塘村村民委员会", VillageCommittee, Some("522631107"))
//!     .unit("522631109", "尚重镇", Town, Some("522631"))
//!     .unit("522631109225", "纪登村村民委员会", VillageCommittee, Some("522631109"))
//!     .unit("522631109226", "宝塘村村民委员会", VillageCommittee, Some("522631109"))
//!     .build()?;
//! let addresses = h.addresses()?;
//! // The township may be skipped: 纪登村 is looked up inside 黎平县.
//! let r = addresses.resolve("黔东南黎平县纪登村3组");
//! assert_eq!(r.unit().unwrap().code(), "522631109225");
//! assert_eq!(r.remainder(), "3组");
//! // 黎平县 has two 宝塘村: both are listed, unless the township is named.
//! assert_eq!(addresses.resolve("黎平县宝塘村").candidates().len(), 2);
//! let r = addresses.resolve("尚重镇宝塘村");
//! assert_eq!(r.unit().unwrap().code(), "522631109226");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! **Remainder.** The text after the best reading's last match, less leading
//! separators (科技园路12号, or 科技园社区12号 when the villages are not in
//! the hierarchy) is reported as the remainder.
//!
//! **Cost.** One pass of the automaton over the text, then work linear in
//! the matches times the units each names, with no allocation but the
//! answer's vectors (the buffers are kept per thread). In a text of more
//! than 32 matches, a name of four units or more repeated through it costs
//! one hash read per repetition once it has made its readings (a later
//! 城关镇 makes none of its 88 townships' readings again; an address has
//! about ten matches and pays no hashing), and a reading of a unit is not
//! made when one made before ends no later and scores as much: so a
//! megabyte of 城关镇 or 北京 takes time in proportion to its length, like
//! any text (about 5 MiB/s for text made only of names, 30 MiB/s for one
//! name repeated, on a busy 2-core machine). A text longer than
//! [`AddressResolver::MAX_TEXT_BYTES`] (4 KiB) is read up to there and its
//! resolution says so ([`Resolution::is_truncated`]). The buffers a long text makes
//! grow are given back after the call, down to 64 KiB each (under 1 MiB in
//! all). What a resolution
//! costs on a busy machine is mostly cache misses into the automaton (one
//! per character of a rarely used name, one per match). Building the
//! dictionary costs far more than resolving a text, which is why
//! [`Hierarchy::addresses`](crate::Hierarchy::addresses) builds it once
//! per hierarchy and keeps it. For figures (resolving, building, against
//! the naive way of searching the text for every name, and against other
//! parsers) see BENCHMARKS.md in the repository.

mod decide;
mod deep;
mod dictionary;
mod read;
mod resolver;
#[cfg(test)]
mod tests;
mod types;

pub use dictionary::AddressResolverBuilder;
pub(crate) use dictionary::Dictionary;
#[cfg(test)]
pub(crate) use read::Shortcut;

/// What pruning must not change: the resolution, but where it gives a
/// reading through a name the best reading leaves out, not that reading's
/// spans (pruning may leave it shorter): of a conflict only the best
/// reading; of the unit written beside a functional zone (the zone's
/// reading is [`Resolution::secondary`]), the unit and the zone's reading.
#[cfg(test)]
pub(crate) fn primary(mut r: Resolution<'_>) -> Resolution<'_> {
    if let Outcome::Conflict(c) = &mut r.outcome {
        c.truncate(1);
        r.chain.clear();
        r.spans.clear();
    } else if !r.secondary.is_empty() {
        r.spans.clear();
        r.rest = 0..0;
    }
    r
}
/// The links between the matches in `text` as [`read::Scratch::link`]
/// works them out, and as their definitions give them (for property tests).
#[cfg(test)]
pub(crate) fn links(r: &AddressResolver<'_>, text: &str) -> (Vec<[u32; 5]>, Vec<[u32; 5]>) {
    let mut sc = read::Scratch::default();
    r.matches(text, &mut sc);
    let want = sc.link_reference();
    sc.link();
    (sc.linked(), want)
}

/// `text` resolved without `shortcut`, the long way (for tests that
/// compare the two).
#[cfg(test)]
pub(crate) fn resolve_without<'t>(
    r: &AddressResolver<'t>,
    text: &'t str,
    shortcut: Shortcut,
) -> Resolution<'t> {
    read::set_shortcut(shortcut, false);
    let long = r.resolve(text);
    read::set_shortcut(shortcut, true);
    long
}

/// Whether `text` is read by the single chain (for tests that it is not
/// left to the dynamic programming every time).
#[cfg(test)]
pub(crate) fn single_chain(r: &AddressResolver<'_>, text: &str) -> bool {
    let mut sc = read::Scratch::default();
    let first = r.matches(text, &mut sc);
    r.single_chain(first, &mut sc)
}

pub use resolver::AddressResolver;
pub use types::{AddressError, Candidate, Form, OldName, Outcome, Resolution, Span};
