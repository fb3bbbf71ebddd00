package ai.emadaptive.model;

/**
 * What the exits predict. {@link #SINGLE_LABEL}: one class per frame, a softmax over the classes at every exit.
 * {@link #MULTI_LABEL}: any set of classes per frame (surgical tool presence: grasper and hook together), one sigmoid
 * per class at every exit, a class present where its probability reaches the artifact's threshold for it.
 */
public enum TaskType {
    SINGLE_LABEL,
    MULTI_LABEL;

    public boolean multiLabel() {
        return this == MULTI_LABEL;
    }
}
