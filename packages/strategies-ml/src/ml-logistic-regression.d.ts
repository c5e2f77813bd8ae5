// Minimal typings of ml-logistic-regression 2.0.0 (the package ships none); only what this package uses.
declare module "ml-logistic-regression" {
  import type { Matrix } from "ml-matrix";

  /** One one-vs-all binary classifier: `testScores` is sigmoid(w · x), the probability of "not this class". */
  interface LogisticRegressionTwoClasses {
    testScores(features: Matrix): number[];
  }

  /** Multiclass one-vs-all logistic regression trained by batch gradient descent. */
  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    numberClasses: number;
    classifiers: LogisticRegressionTwoClasses[];
    train(features: Matrix, labels: Matrix): void;
    predict(features: Matrix): number[];
    toJSON(): unknown;
    static load(model: unknown): LogisticRegression;
  }
}
