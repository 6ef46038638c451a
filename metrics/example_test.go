package metrics_test

import (
	"fmt"

	"github.com/lbfgsnet/lbfgsnet/metrics"
)

func ExampleClassify() {
	truth := []int{0, 0, 1, 1, 1}
	predicted := []int{0, 1, 1, 1, 0}
	c, err := metrics.Classify(truth, predicted, []string{"cat", "dog"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("accuracy %.2f, confusion %v\n", c.Accuracy, c.Confusion)
	for _, s := range c.Classes {
		fmt.Printf("%s: precision %.3f recall %.3f F1 %.3f support %d\n", s.Name, s.Precision, s.Recall, s.F1, s.Support)
	}
	// Output:
	// accuracy 0.60, confusion [[1 1] [1 2]]
	// cat: precision 0.500 recall 0.500 F1 0.500 support 2
	// dog: precision 0.667 recall 0.667 F1 0.667 support 3
}

func ExampleRegress() {
	r, err := metrics.Regress([]float64{1, 2, 3}, []float64{1, 2, 4}, []string{"y"})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := r.Targets[0]
	fmt.Printf("RMSE %.4f MAE %.4f R² %.2f\n", s.RMSE, s.MAE, s.R2)
	// Output:
	// RMSE 0.5774 MAE 0.3333 R² 0.50
}
