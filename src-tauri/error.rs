//! The error every command returns across the IPC boundary, the shorthands
//! commands are written with, and the two macros that declare and list them.

pub use hourglass_core::session::IpcError;

/// What a command answers.
pub type Reply<T> = Result<T, IpcError>;
/// The app's state, as a command receives it.
pub type Ctx<'a> = tauri::State<'a, crate::state::AppState>;
/// A conversation, as commands name it.
pub type Id = hourglass_core::inbox::ConversationId;

/// Declares Tauri commands, each written `fn name(arg: Type, …) -> T = body;`
/// and expanded, with its doc comment, to
/// `#[tauri::command] pub async fn name(arg: Type, …) -> Reply<T> { body }`.
/// Tauri passes arguments by name, in camelCase in the window
/// (`conversation_id` is `conversationId`). List each in [`handler!`].
macro_rules! commands {
    ($(
        $(#[doc = $doc:literal])*
        fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $out:ty = $body:expr;
    )*) => {
        $(
            $(#[doc = $doc])*
            #[tauri::command]
            pub async fn $name($($arg: $ty),*) -> $crate::error::Reply<$out> {
                $body
            }
        )*
    };
}

/// Tauri's invoke handler for the commands listed, module by module, like
/// the names of a `use` list: `module::{command, …}`.
macro_rules! handler {
    ($($module:ident::{$($command:ident),* $(,)?}),* $(,)?) => {
        tauri::generate_handler![$($($module::$command),*),*]
    };
}
