//! The error every command returns across the IPC boundary, and the
//! shorthands commands are written with.

pub use hourglass_core::session::IpcError;

/// What a command answers.
pub type Reply<T> = Result<T, IpcError>;
/// The app's state, as a command receives it.
pub type Ctx<'a> = tauri::State<'a, crate::state::AppState>;
/// A conversation, as commands name it.
pub type Id = hourglass_core::inbox::ConversationId;
