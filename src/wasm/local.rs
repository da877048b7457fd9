//! What `std` gave the wasm build before it went without: values of its one
//! thread, and a panic that stops the module.

/// A value of the module's one thread: the wasm build has no atomics, so
/// nothing is shared between threads (what `thread_local!` gives with `std`).
pub(crate) struct Local<T>(pub T);

// A build with threads would share these values unguarded: it must not compile.
#[cfg(target_feature = "atomics")]
compile_error!("wasm::local::Local assumes one thread: build without the atomics target feature");

// SAFETY: wasm32 without the atomics feature runs one thread (checked above).
#[allow(unsafe_code)]
unsafe impl<T> Sync for Local<T> {}

impl<T> Local<T> {
    /// Runs `f` on the value.
    pub(crate) fn with<R>(&'static self, f: impl FnOnce(&T) -> R) -> R {
        f(&self.0)
    }
}

/// A panic stops the module (`unreachable`), as `panic = "abort"` does,
/// without formatting its message first.
#[cfg(not(test))]
#[panic_handler]
fn panic(_: &::core::panic::PanicInfo<'_>) -> ! {
    ::core::arch::wasm32::unreachable()
}
