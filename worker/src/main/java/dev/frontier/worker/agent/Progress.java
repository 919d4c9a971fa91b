package dev.frontier.worker.agent;

/**
 * How a running task tells the coordinator how far it is. {@link #lost()} turns true when the
 * coordinator no longer recognises the lease (it expired or was reassigned): the task should stop.
 */
public interface Progress {
    void report(double fraction, String message);

    boolean lost();

    Progress NONE = new Progress() {
        public void report(double fraction, String message) {
        }

        public boolean lost() {
            return false;
        }
    };
}
