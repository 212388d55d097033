"""Pure rules of the gateway: the review states of periods and who may see them, their order, the
figures of other periods kept out of published answers, and the rules uploaded rows must follow."""
