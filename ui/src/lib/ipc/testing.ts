// Test-only access to Tauri's IPC mocks, kept behind the same seam as the
// real IPC so no other module imports @tauri-apps/*.
export { clearMocks, mockIPC, mockWindows } from "@tauri-apps/api/mocks";
