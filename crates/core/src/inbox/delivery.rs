//! What Meta reports about a message the business sent, and the order in
//! which it counts. The kinds and the message ids are the webhook's own
//! ([`StatusKind`], [`Wamid`]); which status wins is decided here.

pub use hourglass_whatsapp::webhook::{StatusKind, Wamid};

/// A known status's place in the order statuses move in: `sent <
/// delivered < read < played`, and `failed`, final, beats everything.
/// A status this version does not know has no rank (`None`, which orders
/// below every rank) and never replaces a known one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusRank {
    Sent,
    Delivered,
    Read,
    Played,
    Failed,
}

impl StatusRank {
    /// The rank of a status Meta sent; `None` for one this version does
    /// not know.
    pub fn of(kind: &StatusKind) -> Option<StatusRank> {
        match kind {
            StatusKind::Sent => Some(StatusRank::Sent),
            StatusKind::Delivered => Some(StatusRank::Delivered),
            StatusKind::Read => Some(StatusRank::Read),
            StatusKind::Played => Some(StatusRank::Played),
            StatusKind::Failed => Some(StatusRank::Failed),
            StatusKind::Other(_) => None,
        }
    }

    /// The rank of a status as a message row holds it (`messages.status`):
    /// the outbox's own `pending` and `accepted` have none, so any status
    /// Meta reports moves past them.
    pub fn of_stored(status: &str) -> Option<StatusRank> {
        StatusRank::of(&StatusKind::from(status))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_move_forward_and_failed_wins() {
        let ranks: Vec<Option<StatusRank>> = ["pending", "accepted", "sent", "delivered"]
            .into_iter()
            .chain(["read", "played", "failed"])
            .map(StatusRank::of_stored)
            .collect();
        assert_eq!(ranks[0], None);
        assert_eq!(ranks[1], None);
        assert!(ranks.windows(2).skip(1).all(|w| w[0] < w[1]), "{ranks:?}");
        // An unknown status ranks below every known one, as no status does.
        let unknown = StatusRank::of(&StatusKind::Other("deleted".into()));
        assert_eq!(unknown, None);
        assert!(unknown < Some(StatusRank::Sent));
    }
}
