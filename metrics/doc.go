// Package metrics measures a model's predictions against known answers:
// for classification the accuracy, the confusion matrix and each class's
// precision, recall, F1 score and support; for regression the root mean
// squared error, the mean absolute error and the coefficient of
// determination R² of each target. The functions are pure: they take
// labels or values as plain slices, allocate their result and nothing
// else, and never print. It uses the standard library only.
//
// # Conventions
//
// Classes are indices into a list of class names, as in data.Dataset:
// truth[i] and predicted[i] are the true and predicted class of row i.
// Confusion[t][p] counts the rows of true class t predicted as class p, so
// a row of the matrix is a true class (the convention of scikit-learn's
// confusion_matrix and of MATLAB's confusionchart). Undefined ratios follow
// scikit-learn's defaults: the precision of a class never predicted, the
// recall of a class absent from truth and the F1 score where both are 0
// are 0; R² of a constant target is 1 for exact predictions, 0 otherwise.
//
// Regression values are row-major matrices with one column per target:
// targets[i*k+j] is target j of row i.
//
// # References
//
// C. D. Manning, P. Raghavan, H. Schütze, Introduction to Information
// Retrieval, Cambridge University Press 2008, section 8.3 (precision,
// recall, F measure). scikit-learn's sklearn.metrics (classification_report,
// r2_score), whose conventions for the edge cases are kept.
package metrics
