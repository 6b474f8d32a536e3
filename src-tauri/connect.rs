//! Connecting a real number: the first-run form, "Test connection" and the
//! connection part of Settings. The workflow is the core's (test, then
//! keychain, then save, then start: `hourglass_core::session::Profile`).

use crate::error::Ctx;
use hourglass_core::connection::ConnectionReport;
use hourglass_core::session::{
    ConnectForm, ConnectOutcome, ConnectionView, SessionInfo, TokenKind,
};

commands! {
    fn test_connection(cx: Ctx<'_>, form: ConnectForm) -> ConnectionReport =
        cx.profile().test_connection(&form).await;
    /// A session that connects opens the number a link asked for before.
    fn connect(cx: Ctx<'_>, form: ConnectForm) -> ConnectOutcome = cx.connect(&form).await;
    fn get_connection(cx: Ctx<'_>) -> ConnectionView = cx.profile().connection_view().await;
    /// Forgets one token; a connection using it stops.
    fn forget_token(cx: Ctx<'_>, kind: TokenKind) -> SessionInfo = cx.forget_token(kind).await;
    /// Forgets both tokens and the saved settings.
    fn disconnect(cx: Ctx<'_>) -> SessionInfo = cx.disconnect().await;
}
