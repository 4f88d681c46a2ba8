"The customer import's target: its fields, and how customers are written."
