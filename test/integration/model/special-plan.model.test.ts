import { describeModel } from '../../support/model/driver.js';
import { specialPlanModel } from '../../support/model/special-plan.model.js';

describeModel(specialPlanModel);
