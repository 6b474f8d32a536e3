//! The error every command returns across the IPC boundary, the shorthands
//! commands are written with, and [`commands!`], which declares them.

pub use hourglass_core::session::IpcError;

/// What a command answers.
pub type Reply<T> = Result<T, IpcError>;
/// The app's state, as a command receives it.
pub type Ctx<'a> = tauri::State<'a, crate::state::AppState>;
/// A conversation, as commands name it.
pub type Id = hourglass_core::inbox::ConversationId;

/// Declares Tauri commands, each written as
/// `fn name(arg: Type, …) -> T { body }` and expanded to
/// `#[tauri::command] pub async fn name(arg: Type, …) -> Reply<T> { body }`
/// with its doc comment. Tauri passes arguments by name, in camelCase in the
/// window (`conversation_id` is `conversationId`); every command is listed
/// in `lib.rs`'s handler.
macro_rules! commands {
    ($(
        $(#[doc = $doc:literal])*
        fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $out:ty $body:block
    )*) => {
        $(
            $(#[doc = $doc])*
            #[tauri::command]
            pub async fn $name($($arg: $ty),*) -> $crate::error::Reply<$out> $body
        )*
    };
}
