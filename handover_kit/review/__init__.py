"""What reviewers take from a build: sign-off records, the difference between two
states, and the verdict as Markdown summary, JUnit XML and progress lines."""
