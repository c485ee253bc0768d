/// The outcome of `import/review`: what would happen to every row. Filled by the review planner.
public final class ReviewPlan: Sendable {
    public let reviewId: String
    public init(reviewId: String) { self.reviewId = reviewId }
}
