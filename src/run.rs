//! The one closed loop, and the Run that records what was applied.
