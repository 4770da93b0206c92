package io.sluice.connect;

/** A commit that cannot be handed to the worker any more because the task is stopping; the engine stops without it. */
final class TaskStoppingException extends RuntimeException {
    TaskStoppingException(String message) {
        super(message);
    }
}
