// The tests' helpers include those the daemon's `replay` uses (temporary folders, the JSON
// matcher, the replayer, finding the daemon); they live in Transcripts so that the daemon links
// no Foundation, and come with TestSupport so that a test needs one import.
@_exported import Transcripts
