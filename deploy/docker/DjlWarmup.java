import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Image build step: starts the PyTorch engine once so DJL extracts the natives shipped inside
 * pytorch-native-cpu into DJL_CACHE_DIR. The worker image then runs offline with no first-start
 * extraction (~430 MB written on every new container otherwise).
 */
public final class DjlWarmup {
    public static void main(String[] args) {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = engine.newBaseManager()) {
            NDArray sum = manager.ones(new Shape(2, 2)).sum();
            if (sum.getFloat() != 4f) {
                throw new IllegalStateException("PyTorch engine answered " + sum.getFloat() + " for 1+1+1+1");
            }
        }
        System.out.println("PyTorch " + engine.getVersion() + " ready in " + System.getenv("DJL_CACHE_DIR"));
    }
}
