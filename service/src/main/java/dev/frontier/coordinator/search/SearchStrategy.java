package dev.frontier.coordinator.search;

import java.util.List;

/**
 * Ask/tell search. {@link #observe} feeds finished results, {@link #propose} asks for {@code n}
 * new trials. Implementations keep no storage of their own and draw randomness only from the
 * seeded source they were built with, so a job is reproducible from its seed and its history.
 */
public interface SearchStrategy {

    List<Proposal> propose(SearchHistory history, int n);

    void observe(List<TrialResult> results);

    /**
     * The order in which multi-fidelity ({@link SuccessiveHalving}) promotes finished low-fidelity
     * results to full fidelity, given its own ranking of their measured low-fidelity points. A
     * strategy with a model of the full-fidelity outcome may reorder; the default keeps the ranking.
     */
    default List<TrialResult> promotionOrder(SearchHistory history, List<TrialResult> ranked) {
        return ranked;
    }
}
