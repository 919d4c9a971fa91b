package dev.frontier.coordinator.search;

/**
 * Ridge regression read as Bayesian linear regression: weights w ~ N(0, sigma^2 / lambda) a priori,
 * so the posterior mean solves (X'X + lambda I) w = X'y and the predictive variance of a new row x
 * is sigma^2 x'(X'X + lambda I)^-1 x. Several targets share one design matrix, so the matrix is
 * factored once. Column 0 is taken to be the intercept and is barely penalised, so the prior pulls
 * effects towards the mean of the data rather than towards zero.
 *
 * Sizes here are small (a few hundred features, a few hundred rows): a dense Cholesky
 * factorisation is simpler and exact enough.
 */
final class Ridge {
    private static final double INTERCEPT_PENALTY = 1e-6;
    /** The noise variance never drops below this: a handful of points fits almost exactly, yet is not certain. */
    private static final double MIN_NOISE = 1e-3;

    private final int features;
    private final double[][] inverse;
    private final double[][] weights;
    private final double[] noise;

    /**
     * @param x rows of features (all the same length)
     * @param y y[t][i] = target t of row i
     */
    Ridge(double[][] x, double[][] y, double lambda) {
        int n = x.length;
        this.features = x[0].length;
        double[][] a = new double[features][features];
        for (double[] row : x) {
            for (int i = 0; i < features; i++) {
                if (row[i] == 0) continue;
                for (int j = 0; j < features; j++) a[i][j] += row[i] * row[j];
            }
        }
        for (int i = 0; i < features; i++) a[i][i] += i == 0 ? INTERCEPT_PENALTY : lambda;
        double[][] l = cholesky(a);
        this.inverse = new double[features][];
        for (int i = 0; i < features; i++) {
            double[] e = new double[features];
            e[i] = 1;
            inverse[i] = solve(l, e);
        }
        this.weights = new double[y.length][];
        this.noise = new double[y.length];
        for (int t = 0; t < y.length; t++) {
            double[] xty = new double[features];
            for (int r = 0; r < n; r++) for (int i = 0; i < features; i++) xty[i] += x[r][i] * y[t][r];
            weights[t] = solve(l, xty);
            double residuals = 0;
            for (int r = 0; r < n; r++) {
                double e = y[t][r] - dot(weights[t], x[r]);
                residuals += e * e;
            }
            noise[t] = Math.max(MIN_NOISE, residuals / n);
        }
    }

    double mean(int target, double[] x) {
        return dot(weights[target], x);
    }

    /** Posterior predictive standard deviation of the mean (the noise of one new measurement excluded). */
    double sd(int target, double[] x) {
        return sd(target, leverage(x));
    }

    /** {@link #sd(int, double[])} for a row whose {@link #leverage} is known. */
    double sd(int target, double leverage) {
        return Math.sqrt(Math.max(0, noise[target] * leverage));
    }

    /**
     * x'(X'X + lambda I)^-1 x, the part of the predictive variance that depends on the row: the same for
     * every target, so a caller wanting several targets' sds computes it (the costly part) once.
     */
    double leverage(double[] x) {
        double q = 0;
        for (int i = 0; i < features; i++) {
            if (x[i] == 0) continue;
            q += x[i] * dot(inverse[i], x);
        }
        return q;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** Lower-triangular L with L L' = a (a symmetric positive definite: X'X plus a positive diagonal). */
    private static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) s -= l[i][k] * l[j][k];
                l[i][j] = i == j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j][j];
            }
        }
        return l;
    }

    /** Solves L L' z = b by forward then backward substitution. */
    private static double[] solve(double[][] l, double[] b) {
        int n = b.length;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i][k] * v[k];
            v[i] = s / l[i][i];
        }
        double[] z = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = v[i];
            for (int k = i + 1; k < n; k++) s -= l[k][i] * z[k];
            z[i] = s / l[i][i];
        }
        return z;
    }
}
