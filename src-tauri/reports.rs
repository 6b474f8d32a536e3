//! Commands behind the Reports screen: the report itself and saving one of
//! its tables as CSV. The figures are the core's (`hourglass_core::reports`).

use crate::error::{Ctx, IpcError};
use hourglass_core::problem::ErrorCode;
use hourglass_core::reports::{self, Report, ReportFilter};
use tauri::{AppHandle, Manager};

fn failed(e: &dyn std::fmt::Display, what: String) -> IpcError {
    IpcError::with_detail(ErrorCode::SaveFailed, e, format!("{what}: {e}"))
}

commands! {
    fn get_report(cx: Ctx<'_>, filter: ReportFilter) -> Report = {
        let now = chrono::Utc::now().timestamp();
        cx.with_store(|s| reports::report(s, &filter, now))
    };
    /// Writes one table, as the window made it, to the user's Downloads
    /// folder and returns the path.
    fn save_report_csv(app: AppHandle, table: String, filter: ReportFilter, csv: String)
        -> String = {
        let name = reports::csv_file_name(&table, &filter)?;
        let dir = app.path().download_dir().or_else(|_| app.path().home_dir());
        let path = dir.map_err(|e| failed(&e, "No folder to save into".to_owned()))?.join(name);
        std::fs::write(&path, csv)
            .map_err(|e| failed(&e, format!("Could not save {}", path.display())))?;
        Ok(path.display().to_string())
    };
}
