//! The [`Router`] and the routing rule: read the places, find their common
//! ancestor, take the minimum level, climb to the first unit that may
//! handle, then collect the escalation chain and the parties.

use std::borrow::Borrow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use crate::address::{AddressError, Outcome};
use crate::exchange::load::excerpt;
use crate::model::hierarchy::{Hierarchy, NONE};
use crate::model::schema::{Level, Role};
use crate::model::unit::Unit;
use crate::routing::case::{Case, Place};
use crate::routing::compiled::{Category, CompiledPolicy, Mask, PolicyError, role_bit};
use crate::routing::decision::{Decision, LevelSource, RouteError, Step};
use crate::routing::policy::Policy;

/// Routes cases on one hierarchy under a swappable policy.
///
/// `H` is how the router holds its hierarchy: `&'static Hierarchy` for
/// [`china()`](crate::china()), or `Arc<Hierarchy>` (the default) for one you
/// built or loaded.
///
/// # Examples
///
/// ```
/// use xzqh::routing::{Case, Place, Router};
/// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
/// let places = [Place::Code("429004"), Place::Code("429005")]; // 仙桃, 潜江
/// let d = router.route(&Case::new(&places, "environment"))?;
/// assert_eq!(d.handler().name(), "湖北省");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Router<H: Borrow<Hierarchy> = Arc<Hierarchy>> {
    hierarchy: H,
    policy: RwLock<Arc<CompiledPolicy>>,
    /// The [serial](next_serial) of the policy in force, changed under the
    /// write lock with it: a decision that already holds that policy
    /// reuses it without taking the lock ([`Router::route_into`]).
    serial: AtomicU64,
}

/// Serials of the policies routers put in force: unique in the process, so
/// a decision's serial matches only the router and policy it came from.
/// `0` is never issued.
fn next_serial() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl<H: Borrow<Hierarchy>> Router<H> {
    /// A router for `hierarchy` under `policy`.
    ///
    /// # Errors
    ///
    /// A [`PolicyError`] if the policy names a kind, level, designation,
    /// role, competence or unit the hierarchy lacks, or is out of order.
    ///
    /// # Examples
    ///
    /// ```
    /// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
    /// assert_eq!(router.policy().name(), "china-default");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(hierarchy: H, policy: Policy) -> Result<Router<H>, PolicyError> {
        let compiled = CompiledPolicy::compile(policy, hierarchy.borrow())?;
        Ok(Router {
            hierarchy,
            policy: RwLock::new(Arc::new(compiled)),
            serial: AtomicU64::new(next_serial()),
        })
    }

    /// The hierarchy cases are routed on.
    ///
    /// # Examples
    ///
    /// ```
    /// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
    /// assert_eq!(router.hierarchy().len(), xzqh::china().len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn hierarchy(&self) -> &Hierarchy {
        self.hierarchy.borrow()
    }

    /// The policy in force now.
    ///
    /// # Examples
    ///
    /// ```
    /// let router = xzqh::routing::Router::new(xzqh::china(), xzqh::china::policy())?;
    /// assert!(router.policy().category_names().any(|c| c == "petition"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn policy(&self) -> Arc<CompiledPolicy> {
        // A poisoned lock still holds a valid Arc: a writer only ever stores
        // a fully compiled policy.
        self.policy
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Validates `policy` and makes it the one in force; on error the old
    /// policy stays.
    ///
    /// # Errors
    ///
    /// As [`Router::new`].
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Policy, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let mut bad = Policy::new("bad");
    /// bad.roles.push("mayor".into());
    /// assert!(router.set_policy(bad).is_err());
    /// assert_eq!(router.policy().name(), "china-default");
    /// router.set_policy(Policy::new("empty"))?;
    /// assert_eq!(router.policy().name(), "empty");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_policy(&self, policy: Policy) -> Result<(), PolicyError> {
        let compiled = Arc::new(CompiledPolicy::compile(policy, self.hierarchy())?);
        let mut current = self
            .policy
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *current = compiled;
        // Before the lock is released: whoever reads the new serial then
        // takes the lock finds this policy or a newer one.
        self.serial.store(next_serial(), Ordering::Release);
        Ok(())
    }

    /// Routes one case.
    ///
    /// # Errors
    ///
    /// A [`RouteError`]: no place, an unknown place, category or severity, or
    /// no unit able to handle the case.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Place, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let places = [Place::Code("441900121")];
    /// let d = router.route(&Case::new(&places, "labour_dispute"))?;
    /// assert_eq!(d.handler().code(), "4419"); // 东莞: no county tier
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn route(&self, case: &Case<'_>) -> Result<Decision<'_>, RouteError> {
        let mut d = Decision::new(self.hierarchy());
        self.route_into(case, &mut d)?;
        Ok(d)
    }

    /// Routes one case into `decision`, reusing its buffers: once they have
    /// grown to a case's size, a case whose places are ids or current codes
    /// allocates nothing (reading a text place or a superseded code does).
    /// A decision made on another hierarchy is rebound to this router's.
    ///
    /// # Errors
    ///
    /// As [`Router::route`]; on error `decision` holds no valid answer, but
    /// its trace shows the steps taken up to the error, under this router's
    /// policy (for [`RouteError::NoHandler`], why each unit was passed over).
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Decision, Place, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let mut d = Decision::new(router.hierarchy());
    /// for code in ["110105021", "110118101"] {
    ///     let places = [Place::Code(code)];
    ///     router.route_into(&Case::new(&places, "public_complaint"), &mut d)?;
    ///     assert_eq!(d.handler().code(), code);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn route_into<'r>(
        &'r self,
        case: &Case<'_>,
        decision: &mut Decision<'r>,
    ) -> Result<(), RouteError> {
        decision.h = self.hierarchy();
        // The policy is kept in the decision before routing, so that a
        // failed decision's trace is read with the policy that made it. A
        // decision reused with the same router and policy already holds
        // it: then no lock is taken and no count changes (each is a locked
        // instruction, a good part of a case's time).
        let serial = self.serial.load(Ordering::Acquire);
        let policy = match decision.policy.take() {
            Some(p) if decision.serial == serial => p,
            _ => {
                decision.serial = serial;
                self.policy()
            }
        };
        let routed = route_with(&policy, case, decision);
        decision.policy = Some(policy);
        routed
    }

    /// Routes a batch of cases under one policy snapshot.
    ///
    /// # Examples
    ///
    /// ```
    /// use xzqh::routing::{Case, Place, Router};
    /// let router = Router::new(xzqh::china(), xzqh::china::policy())?;
    /// let a = [Place::Code("110105")];
    /// let b = [Place::Code("nowhere")];
    /// let out = router.route_batch(&[Case::new(&a, "petition"), Case::new(&b, "petition")]);
    /// assert!(out[0].is_ok() && out[1].is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn route_batch(&self, cases: &[Case<'_>]) -> Vec<Result<Decision<'_>, RouteError>> {
        let policy = self.policy();
        cases
            .iter()
            .map(|case| {
                let mut d = Decision::new(self.hierarchy());
                route_with(&policy, case, &mut d)?;
                d.policy = Some(policy.clone());
                Ok(d)
            })
            .collect()
    }
}

/// Reads a text place: the unit, or why not.
fn read_text(h: &Hierarchy, text: &str) -> Result<u32, RouteError> {
    let addresses = h
        .addresses()
        .map_err(|e: AddressError| RouteError::Addresses {
            message: e.to_string(),
        })?;
    match addresses.resolve(text).into_outcome() {
        Outcome::Resolved(u) => Ok(u.id),
        Outcome::Ambiguous(candidates) | Outcome::Conflict(candidates) => {
            Err(RouteError::AmbiguousPlace {
                place: excerpt(text),
                candidates: candidates
                    .iter()
                    .map(|c| (c.unit.code().to_owned(), c.unit.name().to_owned()))
                    .collect(),
            })
        }
        _ => Err(RouteError::UnknownPlace {
            place: excerpt(text),
        }),
    }
}

/// Appends a place's units to `d.places`: by id; by code in any form the
/// profile reads; text through the hierarchy's address reader; then a
/// superseded code's successors from the profile's code history (one
/// [`Step::Superseded`] each). A split unit's place stands for all its
/// parts: its old area is their union, so the case goes to what covers them
/// all, never to one part picked silently.
#[inline]
fn resolve_place(index: usize, place: &Place<'_>, d: &mut Decision<'_>) -> Result<(), RouteError> {
    // A known id, the common place of bulk routing, without a call.
    if let Place::Id(id) = *place
        && let Some(u) = d.h.get(id)
    {
        d.places.push(u.id);
        return Ok(());
    }
    resolve_other(index, place, d)
}

/// [`resolve_place`] for what is not a known id.
#[inline(never)]
fn resolve_other(index: usize, place: &Place<'_>, d: &mut Decision<'_>) -> Result<(), RouteError> {
    let h = d.h;
    let code = match *place {
        Place::Id(_) => return Err(unknown(place)),
        Place::Text(t) => {
            let id = read_text(h, t)?;
            d.places.push(id);
            d.trace.push(Step::ResolvedText {
                place: index as u32,
                unit: Unit { h, id },
            });
            return Ok(());
        }
        Place::Code(code) => code,
    };
    if let Some(u) = h.by_code(code) {
        d.places.push(u.id);
        return Ok(());
    }
    superseded(index, place, code, d)
}

/// A code the hierarchy no longer has, through the profile's code history:
/// its successors, each with a [`Step::Superseded`]. A history that names
/// no successor, or an id that is not a unit here, leaves the place unknown
/// rather than the case without places.
fn superseded(
    index: usize,
    place: &Place<'_>,
    code: &str,
    d: &mut Decision<'_>,
) -> Result<(), RouteError> {
    let h = d.h;
    let history = h.successions().ok_or_else(|| unknown(place))?;
    let mut successors = Vec::new();
    let change = history
        .successors(h, code, &mut successors)
        .ok_or_else(|| unknown(place))?;
    let before = d.places.len();
    for u in successors.into_iter().filter_map(|id| h.get(id)) {
        d.places.push(u.id);
        d.trace.push(Step::Superseded {
            place: index as u32,
            unit: u,
            change,
        });
    }
    if d.places.len() == before {
        return Err(unknown(place));
    }
    Ok(())
}

fn unknown(place: &Place<'_>) -> RouteError {
    RouteError::UnknownPlace {
        place: match place {
            Place::Id(id) => id.to_string(),
            Place::Code(t) | Place::Text(t) => excerpt(t),
        },
    }
}

/// The routing rule; see the module docs. Checks the category and the
/// severity before reading any place, so a wrong name costs no lookup.
fn route_with(
    policy: &CompiledPolicy,
    case: &Case<'_>,
    d: &mut Decision<'_>,
) -> Result<(), RouteError> {
    d.clear();
    if case.places.is_empty() {
        return Err(RouteError::NoPlaces);
    }
    let category = policy
        .category(case.category)
        .map(|c| &policy.categories[c])
        .ok_or_else(|| RouteError::UnknownCategory {
            category: excerpt(case.category),
        })?;
    let severity = match case.severity {
        Some(s) => Some(
            policy
                .severity(s)
                .ok_or_else(|| RouteError::UnknownSeverity {
                    severity: excerpt(s),
                })?,
        ),
        None => None,
    };
    for (k, place) in case.places.iter().enumerate() {
        resolve_place(k, place, d)?;
    }
    let start = common_ancestor(case.places.len(), d);
    let required = minimum_level(policy, category, severity, case.people, d);
    let (handler, below) =
        climb(policy, category, required, start, d).ok_or_else(|| RouteError::NoHandler {
            from: d.h.codes.get(start).to_owned(),
            category: excerpt(case.category),
        })?;
    escalation_and_parties(handler, below, d);
    Ok(())
}

/// Step 1: the lowest common ancestor of the places, where the climb
/// starts. That of a set is that of its first and last units in pre-order.
fn common_ancestor(places: usize, d: &mut Decision<'_>) -> u32 {
    let h = d.h;
    let (mut lo, mut hi) = (u32::MAX, 0u32);
    for &id in &d.places {
        lo = lo.min(id);
        hi = hi.max(id);
    }
    let start = h.lca_span(lo, hi);
    d.start = start;
    d.trace.push(Step::CommonAncestor {
        unit: Unit { h, id: start },
        places: places as u32,
    });
    start
}

/// Step 2: the minimum level, the most senior of what the category, the
/// severity grade and the scale demand (one [`Step::MinimumLevel`] each).
fn minimum_level<'p>(
    policy: &'p CompiledPolicy,
    category: &'p Category,
    severity: Option<usize>,
    people: Option<u64>,
    d: &mut Decision<'_>,
) -> Option<&'p Level> {
    // Levels by reference, also to the climb: a level is 32 bytes, which
    // the climb otherwise keeps in pieces on the stack for a step it may
    // never write.
    let mut required: Option<&Level> = None;
    let mut demand = |level: &'p Level, source: LevelSource, d: &mut Decision<'_>| {
        d.trace.push(Step::MinimumLevel {
            level: *level,
            source,
        });
        if required.is_none_or(|r| level < r) {
            required = Some(level);
        }
    };
    if let Some(l) = &category.min_level {
        demand(l, LevelSource::Category, d);
    }
    if let Some(s) = severity {
        demand(&policy.severities[s].1, LevelSource::Severity(s as u16), d);
    }
    if let Some((threshold, l)) = people.and_then(|p| policy.scale_entry(p)) {
        demand(l, LevelSource::Scale(*threshold), d);
    }
    d.required = required.copied();
    required
}

/// Step 3: climbs from `start` to the first unit whose role is allowed,
/// which stands at or above `required` and holds every competence the
/// category needs; one step per unit passed over. The handler and the unit
/// passed just before it (the handler itself when `start` handles); `None`
/// past the root.
fn climb(
    policy: &CompiledPolicy,
    category: &Category,
    required: Option<&Level>,
    start: u32,
    d: &mut Decision<'_>,
) -> Option<(u32, u32)> {
    let h = d.h;
    let (mut u, mut below) = (start, start);
    loop {
        let kind = h.kind_def(u);
        let here = Unit { h, id: u };
        let step = if category.roles & role_bit(kind.role()) == 0 {
            Some(Step::RoleNotAllowed {
                unit: here,
                role: kind.role(),
            })
        } else if let Some(r) = required.filter(|r| kind.level().rank() > r.rank()) {
            Some(Step::BelowMinimumLevel {
                unit: here,
                required: *r,
            })
        } else {
            let missing = policy.missing(h, u, category.needs);
            (missing != 0).then(|| Step::LacksCompetence {
                unit: here,
                competence: missing.trailing_zeros() as u16,
            })
        };
        let Some(step) = step else { break };
        d.trace.push(step);
        below = u;
        u = h.parent[u as usize];
        if u == NONE {
            return None;
        }
    }
    d.handler = u;
    d.trace.push(Step::Handler {
        unit: Unit { h, id: u },
    });
    Some((u, below))
}

/// The matters ledger's hook: reads `places` as [`Router::route`] does
/// (ids, codes in any form, text, superseded codes) into `d.places`.
pub(crate) fn read_places(places: &[Place<'_>], d: &mut Decision<'_>) -> Result<(), RouteError> {
    d.clear();
    for (k, place) in places.iter().enumerate() {
        resolve_place(k, place, d)?;
    }
    Ok(())
}

/// The matters ledger's hook: whether unit `u` may handle what needs the
/// competences `needs`, allows the roles `roles` and asks at least level
/// rank `required` (the three checks of the climb, without a trace).
#[inline]
pub(crate) fn may_handle(
    policy: &CompiledPolicy,
    h: &Hierarchy,
    u: u32,
    roles: u8,
    needs: Mask,
    required: Option<u8>,
) -> bool {
    let kind = h.kind_def(u);
    roles & role_bit(kind.role()) != 0
        && required.is_none_or(|r| kind.level().rank() <= r)
        && policy.missing(h, u, needs) == 0
}

/// Step 4: the governments above the handler, nearest first, and the
/// handler's children through which the places are reached, in id order.
/// `below` is the unit the climb passed just before the handler.
fn escalation_and_parties(handler: u32, below: u32, d: &mut Decision<'_>) {
    let h = d.h;
    let mut p = h.parent[handler as usize];
    while p != NONE {
        if h.role_raw(p) == Role::Government {
            d.escalation.push(p);
        }
        p = h.parent[p as usize];
    }
    if handler != d.start {
        // Every place lies under the start, so under the one child of the
        // handler the climb came through.
        d.parties.push(below);
        return;
    }
    match d.places.len() {
        0..=4 => parties_small::<4>(h, handler, &d.places, &mut d.parties),
        5..=8 => parties_small::<8>(h, handler, &d.places, &mut d.parties),
        _ => parties_any(h, handler, &d.places, &mut d.parties),
    }
}

/// The parties of at most `W` places (`W` is 4 or 8) under `handler`, their
/// common ancestor, into `out` (empty): each place walked up to the
/// handler's child (a place at the handler, and the slots past the last
/// place, hold the handler), then a sorting network, and the handler's slots
/// and repeats dropped, without a branch on the ids. The walks' loops end
/// where the processor predicts (places of one level sit at about one
/// depth), so it runs on into the next walk while a read is outstanding;
/// inserting each party into a sorted list in turn mispredicted about one
/// comparison a place and stopped it there.
#[inline]
fn parties_small<const W: usize>(h: &Hierarchy, handler: u32, places: &[u32], out: &mut Vec<u32>) {
    let parent = &h.parent;
    let mut x = [handler; W];
    for (x, &place) in x.iter_mut().zip(places) {
        let mut u = place;
        if u != handler {
            while parent[u as usize] != handler {
                u = parent[u as usize];
            }
        }
        *x = u;
    }
    sort_network(&mut x);
    // The handler is numbered before everything under it: its slots come first.
    let first = x.iter().filter(|&&u| u == handler).count();
    if first == W {
        return;
    }
    let mut kept = [0u32; W];
    kept[0] = x[first];
    let mut n = 1;
    for i in first + 1..W {
        kept[n] = x[i];
        n += usize::from(x[i] != x[i - 1]);
    }
    // All `W` copied and cut to length: a copy of known size, not a call.
    out.extend_from_slice(&kept);
    out.truncate(n);
}

/// Sorts 4 or 8 ids with a fixed sequence of compare-exchanges (optimal
/// networks of 5 and 19), each a min and a max: no branch depends on the ids.
#[inline]
fn sort_network<const W: usize>(x: &mut [u32; W]) {
    const FOUR: [(usize, usize); 5] = [(0, 1), (2, 3), (0, 2), (1, 3), (1, 2)];
    const EIGHT: [(usize, usize); 19] = [
        (0, 2),
        (1, 3),
        (4, 6),
        (5, 7),
        (0, 4),
        (1, 5),
        (2, 6),
        (3, 7),
        (0, 1),
        (2, 3),
        (4, 5),
        (6, 7),
        (2, 4),
        (3, 5),
        (1, 4),
        (3, 6),
        (1, 2),
        (3, 4),
        (5, 6),
    ];
    let network: &[(usize, usize)] = if W == 4 { &FOUR } else { &EIGHT };
    for &(i, j) in network {
        let (a, b) = (x[i], x[j]);
        x[i] = a.min(b);
        x[j] = a.max(b);
    }
}

/// [`parties_small`] for more places: the places not at the handler stepped
/// up together, one level a round, for at most 8 rounds, then the
/// rest of each walk place by place (so one deep place among many shallow
/// ones costs its own depth, not theirs); then sorted and deduplicated. One
/// walk after another, each ending at its own depth, mispredicted the end
/// of most walks here and waited on each miss in turn (16 villages: ~700
/// ns against ~490 together); for up to 8 places the walks in turn with a
/// sorting network measured faster.
fn parties_any(h: &Hierarchy, handler: u32, places: &[u32], out: &mut Vec<u32>) {
    /// Rounds stepped together: China's villages need 4 below the root.
    const ROUNDS: usize = 8;
    let parent = &h.parent;
    out.extend(places.iter().copied().filter(|&x| x != handler));
    for _ in 0..ROUNDS {
        let mut moved = false;
        for x in out.iter_mut() {
            let p = parent[*x as usize];
            let up = p != handler;
            *x = if up { p } else { *x };
            moved |= up;
        }
        if !moved {
            break;
        }
    }
    for x in out.iter_mut() {
        while parent[*x as usize] != handler {
            *x = parent[*x as usize];
        }
    }
    out.sort_unstable();
    out.dedup();
}

#[cfg(test)]
mod tests {
    /// Every 0/1 input sorted means every input sorted (the 0-1
    /// principle of sorting networks).
    fn sorts_every_bit_pattern<const W: usize>() {
        for bits in 0u32..1 << W {
            let mut x: [u32; W] = std::array::from_fn(|i| bits >> i & 1);
            super::sort_network(&mut x);
            assert!(x.is_sorted(), "{bits:b} gives {x:?}");
            assert_eq!(x.iter().sum::<u32>(), bits.count_ones());
        }
    }

    #[test]
    fn the_sorting_networks_sort() {
        sorts_every_bit_pattern::<4>();
        sorts_every_bit_pattern::<8>();
    }

    #[test]
    fn router_is_send_sync() {
        fn check<T: Send + Sync>() {}
        check::<super::Router>();
        check::<super::Decision<'static>>();
    }
}
