package ai.emadaptive.data;

/** How training images vary from epoch to epoch ({@link BatchFiller}). */
public enum Augmentation {
    /** CIFAR's: a random crop of the image padded by 4 black pixels and a horizontal flip; right for generated scenes. */
    CIFAR,
    /**
     * {@link SceneAugmentation}'s random zoom, framing, light, colour and blur: for real footage, where a handful of
     * videos would otherwise teach the videos' look rather than the tools.
     */
    SCENE
}
